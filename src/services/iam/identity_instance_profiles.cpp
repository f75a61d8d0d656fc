// Instance profiles: CreateInstanceProfile, GetInstanceProfile,
// DeleteInstanceProfile, ListInstanceProfiles, AddRoleToInstanceProfile,
// RemoveRoleFromInstanceProfile, ListInstanceProfilesForRole and tags.
#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include "iamlocal/core/ids.h"
#include "identity_common.h"
#include "shapes.h"
#include "tagging.h"

namespace iamlocal::services::iam {
namespace {

using store::Account;
using store::InstanceProfile;
using store::Role;

Result<json> createInstanceProfile(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "InstanceProfileName");
  const std::string path = inputString(input, "Path", "/");
  InstanceProfile profile;
  if (auto tags = input.find("Tags"); tags != input.end())
    IAMLOCAL_RETURN_IF_ERROR(mergeTags(profile.tags, *tags, "InstanceProfile"));
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  if (account.instance_profiles.contains(name))
    return fail(ErrorCode::EntityAlreadyExists, "Instance Profile " + name + " already exists.");
  profile.name = name;
  profile.path = path;
  profile.id = ids::uniqueId(ids::kInstanceProfilePrefix);
  profile.arn = entityArn(account.id, "instance-profile", path, name);
  profile.create_date = call.now;
  json out = {{"InstanceProfile", instanceProfileToJson(account, profile)}};
  account.instance_profiles.emplace(name, std::move(profile));
  return out;
}

Result<json> getInstanceProfile(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "InstanceProfileName");
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return fail(noSuchInstanceProfile(name));
  auto it = account->instance_profiles.find(name);
  if (it == account->instance_profiles.end()) return fail(noSuchInstanceProfile(name));
  return json{{"InstanceProfile", instanceProfileToJson(*account, it->second)}};
}

Result<json> deleteInstanceProfile(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "InstanceProfileName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto it = account.instance_profiles.find(name);
  if (it == account.instance_profiles.end()) return fail(noSuchInstanceProfile(name));
  // Same DeleteConflict text AWS gives DeleteRole for the reverse situation.
  if (!it->second.role_names.empty())
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must remove roles from instance profile first.");
  account.instance_profiles.erase(it);
  return json::object();
}

Result<json> listInstanceProfiles(store::Store& store, const Call& call, const json& input) {
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return json{{"InstanceProfiles", json::array()}, {"IsTruncated", false}};
  json out = json::object();
  paginate(
      account->instance_profiles, input, out, "InstanceProfiles",
      [prefix = PathPrefix(input)](const InstanceProfile& profile) { return prefix.matches(profile.path); },
      [&](const InstanceProfile& profile) { return instanceProfileToJson(*account, profile); });
  return out;
}

Result<json> addRoleToInstanceProfile(store::Store& store, const Call& call, const json& input) {
  const std::string profile_name = inputString(input, "InstanceProfileName");
  const std::string role_name = inputString(input, "RoleName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto profile = account.instance_profiles.find(profile_name);
  if (profile == account.instance_profiles.end()) return fail(noSuchInstanceProfile(profile_name));
  auto role = account.roles.find(role_name);
  if (role == account.roles.end()) return fail(noSuchRole(role_name));
  // IAM quota "Roles in an instance profile": 1 (IAM and AWS STS quotas),
  // whichever role is already there.
  if (!profile->second.role_names.empty())
    return fail(ErrorCode::LimitExceeded, "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
  profile->second.role_names.push_back(role->second.name);
  role->second.instance_profile_names.insert(profile->second.name);
  return json::object();
}

Result<json> removeRoleFromInstanceProfile(store::Store& store, const Call& call, const json& input) {
  const std::string profile_name = inputString(input, "InstanceProfileName");
  const std::string role_name = inputString(input, "RoleName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto profile = account.instance_profiles.find(profile_name);
  if (profile == account.instance_profiles.end()) return fail(noSuchInstanceProfile(profile_name));
  auto role = account.roles.find(role_name);
  if (role == account.roles.end()) return fail(noSuchRole(role_name));
  auto& names = profile->second.role_names;
  auto member = std::find_if(names.begin(), names.end(), [&](const std::string& n) { return iequals(n, role_name); });
  if (member == names.end())
    return fail(ErrorCode::NoSuchEntity,
                "The role with name " + role_name + " cannot be found in instance profile " + profile_name + ".");
  names.erase(member);
  role->second.instance_profile_names.erase(profile->second.name);
  return json::object();
}

Result<json> listInstanceProfilesForRole(store::Store& store, const Call& call, const json& input) {
  const std::string role_name = inputString(input, "RoleName");
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return fail(noSuchRole(role_name));
  auto role = account->roles.find(role_name);
  if (role == account->roles.end()) return fail(noSuchRole(role_name));
  json out = json::object();
  paginateKeys(
      role->second.instance_profile_names, input, out, "InstanceProfiles",
      [&](const std::string& name) { return account->instance_profiles.contains(name); },
      [&](const std::string& name) { return instanceProfileToJson(*account, account->instance_profiles.find(name)->second); });
  return out;
}

}  // namespace

void registerInstanceProfileOperations(OperationTable& table, store::Store& store) {
  auto bind = [&](std::string_view action, auto fn) {
    table.add("iam", action, [&store, fn](const Call& call, const json& input) { return fn(store, call, input); });
  };
  bind("CreateInstanceProfile", createInstanceProfile);
  bind("GetInstanceProfile", getInstanceProfile);
  bind("DeleteInstanceProfile", deleteInstanceProfile);
  bind("ListInstanceProfiles", listInstanceProfiles);
  bind("AddRoleToInstanceProfile", addRoleToInstanceProfile);
  bind("RemoveRoleFromInstanceProfile", removeRoleFromInstanceProfile);
  bind("ListInstanceProfilesForRole", listInstanceProfilesForRole);
  registerTagOperations(
      table, store,
      accountMapTaggableKind<&Account::instance_profiles, noSuchInstanceProfile>("InstanceProfile", "InstanceProfileName"));
}

}  // namespace iamlocal::services::iam
