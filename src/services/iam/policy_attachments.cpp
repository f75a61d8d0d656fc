// Managed policy attachments: Attach*/Detach*/ListAttached* for users, groups
// and roles, and ListEntitiesForPolicy. Every change keeps
// account.attachment_counts (policy ARN -> entities attached) in step.
#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "identity_common.h"
#include "operations.h"
#include "policy_shapes.h"

namespace iamlocal::services::iam {
namespace {

// Default quota of managed policies attached to one user, group or role
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html:
// 10, adjustable up to 20). AWS: "Cannot exceed quota for PoliciesPerRole: 10".
constexpr std::size_t kMaxAttachedPolicies = 10;

Status attachPolicy(store::Account& account, std::vector<std::string>& attached, std::string_view arn,
                    std::string_view quota_name) {
  const PolicyRef policy = findPolicy(&account, arn);
  if (!policy || (policy.aws != nullptr && policy.aws->deprecated)) return fail(policyNotAttachable(arn));
  if (std::find(attached.begin(), attached.end(), arn) != attached.end()) return {};  // attaching twice is a no-op
  if (attached.size() >= kMaxAttachedPolicies)
    return fail(ErrorCode::LimitExceeded, "Cannot exceed quota for " + std::string(quota_name) + ": " +
                                              std::to_string(kMaxAttachedPolicies));
  attached.emplace_back(arn);
  ++account.attachment_counts[std::string(arn)];
  return {};
}

Status detachPolicy(store::Account& account, std::vector<std::string>& attached, std::string_view arn) {
  auto it = std::find(attached.begin(), attached.end(), arn);
  if (it == attached.end()) return fail(policyNotFound(arn));
  attached.erase(it);
  if (auto count = account.attachment_counts.find(arn); count != account.attachment_counts.end()) {
    if (--count->second <= 0) account.attachment_counts.erase(count);
  }
  return {};
}

json listAttached(const std::vector<std::string>& attached, const json& input) {
  std::vector<std::string_view> kept;
  const PathPrefix prefix(input);
  for (const auto& arn : attached)
    if (prefix.matches(splitPolicyArn(arn).path)) kept.push_back(arn);
  json out = json::object();
  paginateVector(kept, input, out, "AttachedPolicies", [](std::string_view arn) { return attachedPolicyToJson(arn); });
  return out;
}

template <typename Kind>
void registerFor(OperationTable& table, store::Store& store) {
  const std::string kind(Kind::kName);
  const std::string name_member = kind + "Name";

  table.add("iam", "Attach" + kind + "Policy", [&store, name_member](const Call& call, const json& input) -> Result<json> {
    const std::string name = inputString(input, name_member);
    const std::string arn = inputString(input, "PolicyArn");
    std::unique_lock lock(store.mutex());
    auto& account = store.account(call.caller.account_id);
    IAMLOCAL_ASSIGN_OR_RETURN(auto* entity, findForChange<Kind>(account, name));
    IAMLOCAL_RETURN_IF_ERROR(attachPolicy(account, entity->attached_policy_arns, arn, Kind::kAttachQuota));
    return json::object();
  });

  table.add("iam", "Detach" + kind + "Policy", [&store, name_member](const Call& call, const json& input) -> Result<json> {
    const std::string name = inputString(input, name_member);
    const std::string arn = inputString(input, "PolicyArn");
    std::unique_lock lock(store.mutex());
    auto& account = store.account(call.caller.account_id);
    IAMLOCAL_ASSIGN_OR_RETURN(auto* entity, findForChange<Kind>(account, name));
    IAMLOCAL_RETURN_IF_ERROR(detachPolicy(account, entity->attached_policy_arns, arn));
    return json::object();
  });

  table.add("iam", "ListAttached" + kind + "Policies",
            [&store, name_member](const Call& call, const json& input) -> Result<json> {
              const std::string name = inputString(input, name_member);
              std::shared_lock lock(store.mutex());
              IAMLOCAL_ASSIGN_OR_RETURN(const auto* entity,
                                        findForRead<Kind>(store.findAccount(call.caller.account_id), name));
              return listAttached(entity->attached_policy_arns, input);
            });
}

// ListEntitiesForPolicy scans the account's groups, users and roles (the
// store keeps no reverse index); a policy nobody uses answers at once.
Result<json> listEntitiesForPolicy(const store::Store& store, const Call& call, const json& input) {
  const std::string arn = inputString(input, "PolicyArn");
  const std::string filter = inputString(input, "EntityFilter");
  const std::string usage = inputString(input, "PolicyUsageFilter");
  const bool as_policy = usage.empty() || usage == "PermissionsPolicy";
  const bool as_boundary = usage.empty() || usage == "PermissionsBoundary";

  std::shared_lock lock(store.mutex());
  const store::Account* account = store.findAccount(call.caller.account_id);
  const PolicyRef policy = findPolicy(account, arn);
  if (!policy) return fail(policyNotFound(arn));

  json groups = json::array(), users = json::array(), roles = json::array();
  SectionedPage page(input);
  const bool in_use = attachmentCount(account, arn) > 0 || boundaryUsageCount(account, arn) > 0;
  if (account != nullptr && in_use) {
    const PathPrefix prefix(input);
    auto uses = [&](const auto& entity) {
      if (!prefix.matches(entity.path)) return false;
      const auto& attached = entity.attached_policy_arns;
      if (as_policy && std::find(attached.begin(), attached.end(), arn) != attached.end()) return true;
      if constexpr (requires { entity.permissions_boundary_arn; })
        return as_boundary && entity.permissions_boundary_arn == arn;
      return false;
    };
    auto key = [](const auto& entry) -> const std::string& { return entry.first; };
    if (filter.empty() || filter == "Group")
      page.walk('G', account->groups, key, [&](const auto& e) { return uses(e.second); }, [&](const auto& e) {
        groups.push_back({{"GroupName", e.second.name}, {"GroupId", e.second.id}});
      });
    if (filter.empty() || filter == "User")
      page.walk('U', account->users, key, [&](const auto& e) { return uses(e.second); }, [&](const auto& e) {
        users.push_back({{"UserName", e.second.name}, {"UserId", e.second.id}});
      });
    if (filter.empty() || filter == "Role")
      page.walk('R', account->roles, key, [&](const auto& e) { return uses(e.second); }, [&](const auto& e) {
        roles.push_back({{"RoleName", e.second.name}, {"RoleId", e.second.id}});
      });
  }
  json out = json::object();
  out["PolicyGroups"] = std::move(groups);
  out["PolicyUsers"] = std::move(users);
  out["PolicyRoles"] = std::move(roles);
  page.finish(out);
  return out;
}

}  // namespace

void registerPolicyAttachmentOperations(OperationTable& table, store::Store& store) {
  registerFor<UserKind>(table, store);
  registerFor<GroupKind>(table, store);
  registerFor<RoleKind>(table, store);
  table.add("iam", "ListEntitiesForPolicy", [&store](const Call& call, const json& input) -> Result<json> {
    return listEntitiesForPolicy(store, call, input);
  });
}

}  // namespace iamlocal::services::iam
