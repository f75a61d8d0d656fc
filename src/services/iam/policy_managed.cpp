// Customer managed policies (CreatePolicy, GetPolicy, DeletePolicy), the
// listing that merges them with the AWS managed catalogue (ListPolicies), and
// policy tags.
#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "iamlocal/core/clock.h"
#include "iamlocal/core/ids.h"
#include "iamlocal/core/strings.h"
#include "identity_common.h"
#include "operations.h"
#include "policy_shapes.h"
#include "tagging.h"

namespace iamlocal::services::iam {
namespace {

enum class Scope { All, Aws, Local };
enum class Usage { Any, PermissionsPolicy, PermissionsBoundary };

// ListPolicies walks two sorted sources at once: the AWS managed catalogue
// and the account's customer managed policies, both by name ignoring case
// (AWS first on equal names). The Marker names the next entry as
// "A<name>" or "L<name>", so a page starts in O(log n) in either source.
struct ListPosition {
  bool aws = true;
  std::string name;
};

std::optional<ListPosition> decodeListMarker(const json& input) {
  auto it = input.find("Marker");
  if (it == input.end() || !it->is_string()) return std::nullopt;
  const auto& text = it->get_ref<const std::string&>();
  if (text.size() < 2 || (text[0] != 'A' && text[0] != 'L')) return ListPosition{true, text};
  return ListPosition{text[0] == 'A', text.substr(1)};
}

Result<json> listPolicies(const store::Store& store, const Call& call, const json& input) {
  Scope scope = Scope::All;
  if (auto s = inputString(input, "Scope"); s == "AWS") scope = Scope::Aws;
  else if (s == "Local") scope = Scope::Local;
  Usage usage = Usage::Any;
  if (auto u = inputString(input, "PolicyUsageFilter"); u == "PermissionsPolicy") usage = Usage::PermissionsPolicy;
  else if (u == "PermissionsBoundary") usage = Usage::PermissionsBoundary;
  const bool only_attached = input.value("OnlyAttached", false);
  const std::size_t max_items = maxItems(input);

  std::shared_lock lock(store.mutex());
  const store::Account* account = store.findAccount(call.caller.account_id);

  // PermissionsBoundary lists the policies in use as a boundary; OnlyAttached
  // the policies attached as permissions policies (or, with the boundary
  // filter, in use as a boundary).
  const PathPrefix prefix(input);
  auto keep = [&](std::string_view arn, std::string_view path) {
    if (!prefix.matches(path)) return false;
    if (usage == Usage::PermissionsBoundary) return boundaryUsageCount(account, arn) > 0;
    if (only_attached) return attachmentCount(account, arn) > 0;
    return true;
  };

  const auto catalogue = store::awsManagedPolicies();
  const CaseInsensitiveLess less;
  auto aws_it = catalogue.begin();
  auto aws_end = scope == Scope::Local ? catalogue.begin() : catalogue.end();
  static const store::ByName<store::ManagedPolicy> kNoPolicies;
  const auto& locals = account != nullptr ? account->policies : kNoPolicies;
  auto local_it = locals.begin();
  auto local_end = scope == Scope::Aws ? locals.begin() : locals.end();
  if (scope == Scope::Aws) local_it = local_end;
  if (auto marker = decodeListMarker(input)) {
    // Order key (name, AWS before Local): skip what sorts before the marker.
    if (scope != Scope::Local)
      aws_it = marker->aws ? std::lower_bound(catalogue.begin(), catalogue.end(), marker->name,
                                              [&](const auto& p, const std::string& n) { return less(p.name, n); })
                           : std::upper_bound(catalogue.begin(), catalogue.end(), marker->name,
                                              [&](const std::string& n, const auto& p) { return less(n, p.name); });
    if (scope != Scope::Aws) local_it = locals.lower_bound(marker->name);
  }
  if (scope == Scope::Local) aws_it = aws_end;

  json list = json::array();
  std::optional<std::string> next_marker;
  while (aws_it != aws_end || local_it != local_end) {
    const bool take_aws = local_it == local_end || (aws_it != aws_end && !less(local_it->first, aws_it->name));
    if (take_aws) {
      const auto& p = *aws_it;
      if (keep(p.arn, p.path)) {
        if (list.size() == max_items) {
          // Appended rather than "A" + std::string(...): GCC 12 reports a
          // false -Wrestrict overlap in the inlined operator+.
          next_marker = std::string("A").append(p.name);
          break;
        }
        list.push_back(policyToJson(account, PolicyRef{nullptr, &p}, PolicyView::Listed));
      }
      ++aws_it;
    } else {
      const auto& p = local_it->second;
      if (keep(p.arn, p.path)) {
        if (list.size() == max_items) {
          next_marker = "L" + p.name;
          break;
        }
        list.push_back(policyToJson(account, PolicyRef{&p, nullptr}, PolicyView::Listed));
      }
      ++local_it;
    }
  }
  json out = json::object();
  out["Policies"] = std::move(list);
  out["IsTruncated"] = next_marker.has_value();
  if (next_marker) out["Marker"] = *next_marker;
  return out;
}

// Customer managed policies are found by their exact ARN; AWS managed ones
// belong to AWS, so tagging one is refused, and they list no tags.
constexpr TaggableKind kPolicyTags{
    "Policy",
    "PolicyArn",
    [](const Call& call, std::string_view arn) -> Status {
      if (store::isAwsManagedPolicyArn(arn)) return fail(awsPolicyAccessDenied(call, arn));
      return {};
    },
    [](store::Account& account, std::string_view arn) -> Result<store::TagList*> {
      store::ManagedPolicy* policy = findCustomerPolicy(account, arn);
      if (policy == nullptr) return fail(policyNotFound(arn));
      return &policy->tags;
    },
    [](const store::Account* account, std::string_view arn) -> Result<const store::TagList*> {
      const PolicyRef policy = findPolicy(account, arn);
      if (!policy) return fail(policyNotFound(arn));
      static const store::TagList kNoTags;
      return policy.customer != nullptr ? &policy.customer->tags : &kNoTags;
    },
};

}  // namespace

void registerManagedPolicyOperations(OperationTable& table, store::Store& store) {
  table.add("iam", "CreatePolicy", [&store](const Call& call, const json& input) -> Result<json> {
    const std::string name = inputString(input, "PolicyName");
    const std::string path = inputString(input, "Path", "/");
    const std::string document = inputString(input, "PolicyDocument");
    IAMLOCAL_RETURN_IF_ERROR(checkPolicyDocument(PolicyKind::Managed, document));

    store::ManagedPolicy policy;
    if (auto tags = input.find("Tags"); tags != input.end())
      IAMLOCAL_RETURN_IF_ERROR(mergeTags(policy.tags, *tags, "Policy"));
    std::unique_lock lock(store.mutex());
    auto& account = store.account(call.caller.account_id);
    if (account.policies.contains(name))
      return fail(ErrorCode::EntityAlreadyExists,
                  "A policy called " + name + " already exists. Duplicate names are not allowed.");
    policy.name = name;
    policy.path = path;
    policy.id = ids::uniqueId(ids::kPolicyPrefix);
    policy.arn = entityArn(account.id, "policy", path, name);
    policy.description = inputString(input, "Description");
    policy.create_date = policy.update_date = call.now;
    policy.versions.push_back(store::PolicyVersion{"v1", document, call.now, store::storePolicy(document, policy.arn).compiled});
    policy.default_version_id = "v1";
    policy.next_version_number = 2;
    auto [it, inserted] = account.policies.emplace(name, std::move(policy));
    (void)inserted;
    return json{{"Policy", policyToJson(&account, PolicyRef{&it->second, nullptr}, PolicyView::Full)}};
  });

  table.add("iam", "GetPolicy", [&store](const Call& call, const json& input) -> Result<json> {
    const std::string arn = inputString(input, "PolicyArn");
    std::shared_lock lock(store.mutex());
    const store::Account* account = store.findAccount(call.caller.account_id);
    const PolicyRef policy = findPolicy(account, arn);
    if (!policy) return fail(policyNotFound(arn));
    return json{{"Policy", policyToJson(account, policy, PolicyView::Full)}};
  });

  table.add("iam", "DeletePolicy", [&store](const Call& call, const json& input) -> Result<json> {
    const std::string arn = inputString(input, "PolicyArn");
    if (store::isAwsManagedPolicyArn(arn)) return fail(awsPolicyAccessDenied(call, arn));
    std::unique_lock lock(store.mutex());
    auto& account = store.account(call.caller.account_id);
    store::ManagedPolicy* policy = findCustomerPolicy(account, arn);
    if (policy == nullptr) return fail(policyNotFound(arn));
    // DeletePolicy: "you must detach the policy from all users, groups, and
    // roles" and "delete all of the policy's versions" except the default.
    if (attachmentCount(&account, arn) > 0 || boundaryUsageCount(&account, arn) > 0)
      return fail(ErrorCode::DeleteConflict, "Cannot delete a policy attached to entities.");
    if (policy->versions.size() > 1)
      return fail(ErrorCode::DeleteConflict,
                  "This policy has more than one version. Before you delete a policy, you must delete the policy's "
                  "versions. The default version is deleted with the policy.");
    account.attachment_counts.erase(arn);
    account.boundary_counts.erase(arn);
    account.policies.erase(policy->name);
    return json::object();
  });

  table.add("iam", "ListPolicies", [&store](const Call& call, const json& input) -> Result<json> {
    return listPolicies(store, call, input);
  });

  registerTagOperations(table, store, kPolicyTags);
}

}  // namespace iamlocal::services::iam
