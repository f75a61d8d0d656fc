// GetAccountAuthorizationDetails: every user, group, role and managed policy
// of the account with their policies, as one paginated listing.
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>

#include "identity_common.h"
#include "operations.h"
#include "policy_shapes.h"
#include "shapes.h"

namespace iamlocal::services::iam {
namespace {

bool wants(const json& input, std::string_view entity_type) {
  auto it = input.find("Filter");
  if (it == input.end() || !it->is_array() || it->empty()) return true;
  for (const auto& f : *it)
    if (f.is_string() && f.get_ref<const std::string&>() == entity_type) return true;
  return false;
}

json userDetail(const store::User& user) {
  json out = userToJson(user, ShapeView::Full);
  out.erase("PasswordLastUsed");  // not a UserDetail member
  out["UserPolicyList"] = inlinePoliciesToJson(user.inline_policies);
  json groups = json::array();
  for (const auto& name : user.group_names) groups.push_back(name);
  out["GroupList"] = std::move(groups);
  out["AttachedManagedPolicies"] = attachedPoliciesToJson(user.attached_policy_arns);
  return out;
}

json groupDetail(const store::Group& group) {
  json out = groupToJson(group);
  out["GroupPolicyList"] = inlinePoliciesToJson(group.inline_policies);
  out["AttachedManagedPolicies"] = attachedPoliciesToJson(group.attached_policy_arns);
  return out;
}

json roleDetail(const store::Account& account, const store::Role& role) {
  json out = roleToJson(role, ShapeView::Full);
  out.erase("Description");  // not RoleDetail members
  out.erase("MaxSessionDuration");
  json profiles = json::array();
  for (const auto& name : role.instance_profile_names)
    if (auto it = account.instance_profiles.find(name); it != account.instance_profiles.end())
      profiles.push_back(instanceProfileToJson(account, it->second));
  out["InstanceProfileList"] = std::move(profiles);
  out["RolePolicyList"] = inlinePoliciesToJson(role.inline_policies);
  out["AttachedManagedPolicies"] = attachedPoliciesToJson(role.attached_policy_arns);
  return out;
}

json policyDetail(const store::Account& account, const PolicyRef& policy) {
  json out = policyToJson(&account, policy, PolicyView::Full);
  out.erase("Tags");  // not a ManagedPolicyDetail member
  out["PolicyVersionList"] = policyVersionListToJson(policy);
  return out;
}

}  // namespace

void registerAuthorizationDetailsOperations(OperationTable& table, store::Store& store) {
  table.add("iam", "GetAccountAuthorizationDetails", [&store](const Call& call, const json& input) -> Result<json> {
    std::shared_lock lock(store.mutex());
    const store::Account* account = store.findAccount(call.caller.account_id);
    json users = json::array(), groups = json::array(), roles = json::array(), policies = json::array();
    SectionedPage page(input);
    if (account != nullptr) {
      auto key = [](const auto& entry) -> const std::string& { return entry.first; };
      auto all = [](const auto&) { return true; };
      if (wants(input, "User"))
        page.walk('U', account->users, key, all, [&](const auto& e) { users.push_back(userDetail(e.second)); });
      if (wants(input, "Group"))
        page.walk('G', account->groups, key, all, [&](const auto& e) { groups.push_back(groupDetail(e.second)); });
      if (wants(input, "Role"))
        page.walk('R', account->roles, key, all,
                  [&](const auto& e) { roles.push_back(roleDetail(*account, e.second)); });
      if (wants(input, "LocalManagedPolicy"))
        page.walk('L', account->policies, key, all, [&](const auto& e) {
          policies.push_back(policyDetail(*account, PolicyRef{&e.second, nullptr}));
        });
      if (wants(input, "AWSManagedPolicy")) {
        // Of the AWS managed policies only those the account uses appear.
        std::set<std::string_view> used;
        for (const auto* counts : {&account->attachment_counts, &account->boundary_counts})
          for (const auto& [arn, count] : *counts)
            if (count > 0 && store::findAwsManagedPolicy(arn) != nullptr) used.insert(arn);
        page.walk(
            'A', used, [](std::string_view arn) { return arn; }, all, [&](std::string_view arn) {
              policies.push_back(policyDetail(*account, PolicyRef{nullptr, store::findAwsManagedPolicy(arn)}));
            });
      }
    }
    json out = json::object();
    out["UserDetailList"] = std::move(users);
    out["GroupDetailList"] = std::move(groups);
    out["RoleDetailList"] = std::move(roles);
    out["Policies"] = std::move(policies);
    page.finish(out);
    return out;
  });
}

}  // namespace iamlocal::services::iam
