#include "iamlocal/store/aws_managed_policies.h"

#include <algorithm>
#include <memory>
#include <mutex>

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

const policy::CompiledPolicy& compiledAwsManagedPolicy(const AwsManagedPolicy& policy) {
  // Compiling all 1,568 at start would cost start-up time and memory most
  // runs never use; each is compiled the first time a principal needs it.
  struct Slot {
    std::once_flag once;
    policy::CompiledPolicy compiled;
  };
  static const std::unique_ptr<Slot[]> slots(new Slot[detail::kAwsManagedPolicyCount]);
  const std::size_t index = static_cast<std::size_t>(&policy - detail::kAwsManagedPolicies);
  Slot& slot = slots[index];
  std::call_once(slot.once, [&] {
    // The catalogue's documents are AWS's own, valid JSON; a failure would
    // leave an empty policy, which allows nothing.
    if (auto compiled = policy::compilePolicy(policy.document, std::string(policy.arn))) slot.compiled = std::move(*compiled);
  });
  return slot.compiled;
}

}  // namespace iamlocal::store
