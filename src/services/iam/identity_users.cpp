// IAM users: CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers, their
// tags and permissions boundaries.
#include <mutex>
#include <shared_mutex>

#include "iamlocal/core/ids.h"
#include "identity_common.h"
#include "shapes.h"
#include "tagging.h"

namespace iamlocal::services::iam {
namespace {

using store::Account;
using store::User;

Result<json> createUser(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "UserName");
  const std::string path = inputString(input, "Path", "/");
  const std::string boundary = inputString(input, "PermissionsBoundary");

  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  if (account.users.contains(name))
    return fail(ErrorCode::EntityAlreadyExists, "User with name " + name + " already exists.");
  if (!boundary.empty()) IAMLOCAL_RETURN_IF_ERROR(checkBoundaryPolicy(&account, boundary));
  User user;
  if (auto tags = input.find("Tags"); tags != input.end())
    IAMLOCAL_RETURN_IF_ERROR(mergeTags(user.tags, *tags, "User"));
  user.name = name;
  user.path = path;
  user.id = ids::uniqueId(ids::kUserPrefix);
  user.arn = entityArn(account.id, "user", path, name);
  user.create_date = call.now;
  setBoundary(account, user.permissions_boundary_arn, boundary);
  json out = {{"User", userToJson(user)}};
  account.users.emplace(name, std::move(user));
  return out;
}

Result<json> getUser(store::Store& store, const Call& call, const json& input) {
  std::string name = inputString(input, "UserName");
  if (name.empty()) {
    if (callerIsRoot(call)) {
      // GetUser without UserName signed by the root answers with the root
      // "user": its account id as UserId and the :root ARN, no name or path.
      // The account's creation date is fixed the first time it is asked for.
      std::unique_lock lock(store.mutex());
      Account& account = store.account(call.caller.account_id);
      if (account.create_date == TimePoint{}) account.create_date = call.now;
      json user = {{"UserId", account.id},
                   {"Arn", "arn:aws:iam::" + account.id + ":root"},
                   {"CreateDate", formatIso8601(account.create_date)}};
      return json{{"User", std::move(user)}};
    }
    IAMLOCAL_ASSIGN_OR_RETURN(name, callerUserName(call));
  }
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return fail(noSuchUser(name));
  auto it = account->users.find(name);
  if (it == account->users.end()) return fail(noSuchUser(name));
  return json{{"User", userToJson(it->second)}};
}

Result<json> updateUser(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "UserName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto it = account.users.find(name);
  if (it == account.users.end()) return fail(noSuchUser(name));
  const std::string new_name = inputString(input, "NewUserName", it->second.name);
  const std::string new_path = inputString(input, "NewPath", it->second.path);
  if (new_name != it->second.name) {
    // Names are unique ignoring case; a change of case alone renames the
    // same user.
    auto other = account.users.find(new_name);
    if (other != account.users.end() && other != it)
      return fail(ErrorCode::EntityAlreadyExists, "User with name " + new_name + " already exists.");
  }
  const std::string old_name = it->second.name;
  auto node = account.users.extract(it);
  User& user = node.mapped();
  user.name = new_name;
  user.path = new_path;
  user.arn = entityArn(account.id, "user", new_path, new_name);
  // A rename ripples into every group's member list and the user's keys.
  if (new_name != old_name) {
    for (const auto& group_name : user.group_names) {
      auto group = account.groups.find(group_name);
      if (group == account.groups.end()) continue;
      group->second.member_names.erase(old_name);
      group->second.member_names.insert(new_name);
    }
    for (const auto& key_id : user.access_key_ids) {
      auto key = account.access_keys.find(key_id);
      if (key != account.access_keys.end()) key->second.user_name = new_name;
    }
    for (auto& [serial, device] : account.mfa_devices)
      if (iequals(device.user_name, old_name)) device.user_name = new_name;
  }
  node.key() = new_name;
  account.users.insert(std::move(node));
  return json::object();
}

Result<json> deleteUser(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "UserName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto it = account.users.find(name);
  if (it == account.users.end()) return fail(noSuchUser(name));
  const User& user = it->second;
  // The prerequisites in the order the DeleteUser API reference lists them
  // (access keys, ..., inline policies, attached managed policies, groups),
  // each with AWS's DeleteConflict text.
  if (!user.access_key_ids.empty())
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must delete access keys first.");
  if (std::any_of(account.mfa_devices.begin(), account.mfa_devices.end(),
                  [&](const auto& entry) { return iequals(entry.second.user_name, user.name); }))
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must delete MFA device first.");
  if (!user.inline_policies.empty())
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must delete policies first.");
  if (!user.attached_policy_arns.empty())
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must detach all policies first.");
  if (!user.group_names.empty())
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must remove users from group first.");
  setBoundary(account, it->second.permissions_boundary_arn, {});
  account.users.erase(it);
  return json::object();
}

Result<json> listUsers(store::Store& store, const Call& call, const json& input) {
  json out = json::object();
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return json{{"Users", json::array()}, {"IsTruncated", false}};
  // ListUsers omits PermissionsBoundary and Tags (ListUsers API reference).
  paginate(
      account->users, input, out, "Users", [prefix = PathPrefix(input)](const User& user) { return prefix.matches(user.path); },
      [](const User& user) { return userToJson(user, ShapeView::Listed); });
  return out;
}

// Runs `change` on the named user under the unique lock.
template <typename Change>
Result<json> withUser(store::Store& store, const Call& call, const json& input, Change change) {
  const std::string name = inputString(input, "UserName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto it = account.users.find(name);
  if (it == account.users.end()) return fail(noSuchUser(name));
  IAMLOCAL_RETURN_IF_ERROR(change(account, it->second));
  return json::object();
}

}  // namespace

void registerUserOperations(OperationTable& table, store::Store& store) {
  auto bind = [&](std::string_view action, auto fn) {
    table.add("iam", action, [&store, fn](const Call& call, const json& input) { return fn(store, call, input); });
  };
  bind("CreateUser", createUser);
  bind("GetUser", getUser);
  bind("UpdateUser", updateUser);
  bind("DeleteUser", deleteUser);
  bind("ListUsers", listUsers);
  registerTagOperations(table, store, accountMapTaggableKind<&Account::users, noSuchUser>("User", "UserName"));
  bind("PutUserPermissionsBoundary", [](store::Store& s, const Call& call, const json& input) {
    return withUser(s, call, input, [&](Account& account, User& user) -> Status {
      const std::string arn = inputString(input, "PermissionsBoundary");
      IAMLOCAL_RETURN_IF_ERROR(checkBoundaryPolicy(&account, arn));
      setBoundary(account, user.permissions_boundary_arn, arn);
      return {};
    });
  });
  bind("DeleteUserPermissionsBoundary", [](store::Store& s, const Call& call, const json& input) {
    // Deleting a boundary that is not set succeeds, as in AWS.
    return withUser(s, call, input, [&](Account& account, User& user) -> Status {
      setBoundary(account, user.permissions_boundary_arn, {});
      return {};
    });
  });
}

}  // namespace iamlocal::services::iam
