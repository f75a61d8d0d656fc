// IAM groups: CreateGroup, GetGroup (with its members), UpdateGroup,
// DeleteGroup, ListGroups, AddUserToGroup, RemoveUserFromGroup,
// ListGroupsForUser.
#include <mutex>
#include <shared_mutex>

#include "iamlocal/core/ids.h"
#include "identity_common.h"
#include "shapes.h"

namespace iamlocal::services::iam {
namespace {

using store::Account;
using store::Group;
using store::User;

Result<json> createGroup(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "GroupName");
  const std::string path = inputString(input, "Path", "/");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  if (account.groups.contains(name))
    return fail(ErrorCode::EntityAlreadyExists, "Group with name " + name + " already exists.");
  Group group;
  group.name = name;
  group.path = path;
  group.id = ids::uniqueId(ids::kGroupPrefix);
  group.arn = entityArn(account.id, "group", path, name);
  group.create_date = call.now;
  json out = {{"Group", groupToJson(group)}};
  account.groups.emplace(name, std::move(group));
  return out;
}

Result<json> getGroup(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "GroupName");
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return fail(noSuchGroup(name));
  auto it = account->groups.find(name);
  if (it == account->groups.end()) return fail(noSuchGroup(name));
  json out = {{"Group", groupToJson(it->second)}};
  // Members are listed as ListUsers lists them, in name order.
  paginateKeys(
      it->second.member_names, input, out, "Users",
      [&](const std::string& member) { return account->users.contains(member); },
      [&](const std::string& member) { return userToJson(account->users.find(member)->second, ShapeView::Listed); });
  return out;
}

Result<json> updateGroup(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "GroupName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto it = account.groups.find(name);
  if (it == account.groups.end()) return fail(noSuchGroup(name));
  const std::string new_name = inputString(input, "NewGroupName", it->second.name);
  const std::string new_path = inputString(input, "NewPath", it->second.path);
  if (new_name != it->second.name) {
    auto other = account.groups.find(new_name);
    if (other != account.groups.end() && other != it)
      return fail(ErrorCode::EntityAlreadyExists, "Group with name " + new_name + " already exists.");
  }
  const std::string old_name = it->second.name;
  auto node = account.groups.extract(it);
  Group& group = node.mapped();
  group.name = new_name;
  group.path = new_path;
  group.arn = entityArn(account.id, "group", new_path, new_name);
  if (new_name != old_name) {
    // Members remember their groups by name.
    for (const auto& member : group.member_names) {
      auto user = account.users.find(member);
      if (user == account.users.end()) continue;
      user->second.group_names.erase(old_name);
      user->second.group_names.insert(new_name);
    }
  }
  node.key() = new_name;
  account.groups.insert(std::move(node));
  return json::object();
}

Result<json> deleteGroup(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "GroupName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto it = account.groups.find(name);
  if (it == account.groups.end()) return fail(noSuchGroup(name));
  const Group& group = it->second;
  // DeleteGroup API reference: "The group must not contain any users or have
  // any attached policies."
  if (!group.member_names.empty())
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must remove users from group first.");
  if (!group.inline_policies.empty())
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must delete policies first.");
  if (!group.attached_policy_arns.empty())
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must detach all policies first.");
  account.groups.erase(it);
  return json::object();
}

Result<json> listGroups(store::Store& store, const Call& call, const json& input) {
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return json{{"Groups", json::array()}, {"IsTruncated", false}};
  json out = json::object();
  paginate(
      account->groups, input, out, "Groups", [prefix = PathPrefix(input)](const Group& group) { return prefix.matches(group.path); },
      [](const Group& group) { return groupToJson(group); });
  return out;
}

Result<json> addUserToGroup(store::Store& store, const Call& call, const json& input) {
  const std::string group_name = inputString(input, "GroupName");
  const std::string user_name = inputString(input, "UserName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto group = account.groups.find(group_name);
  if (group == account.groups.end()) return fail(noSuchGroup(group_name));
  auto user = account.users.find(user_name);
  if (user == account.users.end()) return fail(noSuchUser(user_name));
  // Adding a member twice is accepted silently, as AWS does.
  if (!user->second.group_names.contains(group->second.name)) {
    // IAM quota "Groups an IAM user can be a member of": 10.
    if (user->second.group_names.size() >= 10)
      return fail(ErrorCode::LimitExceeded, "Cannot exceed quota for GroupsPerUser: 10");
    user->second.group_names.insert(group->second.name);
    group->second.member_names.insert(user->second.name);
  }
  return json::object();
}

Result<json> removeUserFromGroup(store::Store& store, const Call& call, const json& input) {
  const std::string group_name = inputString(input, "GroupName");
  const std::string user_name = inputString(input, "UserName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto group = account.groups.find(group_name);
  if (group == account.groups.end()) return fail(noSuchGroup(group_name));
  auto user = account.users.find(user_name);
  if (user == account.users.end()) return fail(noSuchUser(user_name));
  if (!group->second.member_names.contains(user->second.name))
    return fail(ErrorCode::NoSuchEntity, "User " + user_name + " is not in group " + group_name + ".");
  group->second.member_names.erase(user->second.name);
  user->second.group_names.erase(group->second.name);
  return json::object();
}

Result<json> listGroupsForUser(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "UserName");
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return fail(noSuchUser(name));
  auto user = account->users.find(name);
  if (user == account->users.end()) return fail(noSuchUser(name));
  json out = json::object();
  paginateKeys(
      user->second.group_names, input, out, "Groups",
      [&](const std::string& group) { return account->groups.contains(group); },
      [&](const std::string& group) { return groupToJson(account->groups.find(group)->second); });
  return out;
}

}  // namespace

void registerGroupOperations(OperationTable& table, store::Store& store) {
  auto bind = [&](std::string_view action, auto fn) {
    table.add("iam", action, [&store, fn](const Call& call, const json& input) { return fn(store, call, input); });
  };
  bind("CreateGroup", createGroup);
  bind("GetGroup", getGroup);
  bind("UpdateGroup", updateGroup);
  bind("DeleteGroup", deleteGroup);
  bind("ListGroups", listGroups);
  bind("AddUserToGroup", addUserToGroup);
  bind("RemoveUserFromGroup", removeUserFromGroup);
  bind("ListGroupsForUser", listGroupsForUser);
}

}  // namespace iamlocal::services::iam
