#include "iamlocal/store/aws_managed_policies.h"

#include <algorithm>

#include "aws_managed_policies_data.h"

namespace iamlocal::store {

namespace {
constexpr std::string_view kAwsPolicyArnPrefix = "arn:aws:iam::aws:policy/";
}

std::span<const AwsManagedPolicy> awsManagedPolicies() {
  return {detail::kAwsManagedPolicies, detail::kAwsManagedPolicyCount};
}

const AwsManagedPolicy* findAwsManagedPolicy(std::string_view arn) {
  if (!isAwsManagedPolicyArn(arn)) return nullptr;
  const std::uint16_t* first = detail::kAwsManagedPoliciesByArn;
  const std::uint16_t* last = first + detail::kAwsManagedPolicyCount;
  const std::uint16_t* it = std::lower_bound(
      first, last, arn, [](std::uint16_t index, std::string_view key) { return detail::kAwsManagedPolicies[index].arn < key; });
  if (it == last || detail::kAwsManagedPolicies[*it].arn != arn) return nullptr;
  return &detail::kAwsManagedPolicies[*it];
}

bool isAwsManagedPolicyArn(std::string_view arn) { return arn.starts_with(kAwsPolicyArnPrefix); }

}  // namespace iamlocal::store
