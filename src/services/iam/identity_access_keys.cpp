// IAM users' access keys: CreateAccessKey, DeleteAccessKey, ListAccessKeys,
// UpdateAccessKey, GetAccessKeyLastUsed. Keys are kept in the account and in
// the store's global index, through which requests are authenticated.
//
// The account root's keys are configured (flags, environment, config file),
// not created through IAM: ListAccessKeys as the root shows the key the
// request was signed with; creating, updating or deleting root keys through
// IAM is refused with InvalidInput.
#include <mutex>
#include <shared_mutex>

#include "iamlocal/auth/secrets.h"
#include "iamlocal/core/ids.h"
#include "identity_common.h"
#include "shapes.h"

namespace iamlocal::services::iam {
namespace {

using store::AccessKey;
using store::Account;
using store::User;

// IAM quota "Access keys assigned to an IAM user": 2.
constexpr std::size_t kAccessKeysPerUser = 2;

Error rootKeysNotManaged() {
  return makeError(ErrorCode::InvalidInput,
                   "The account root's access keys are configured in iamlocal and cannot be managed through IAM; "
                   "specify UserName to manage an IAM user's keys.");
}

Error noSuchAccessKey(std::string_view key_id) {
  return makeError(ErrorCode::NoSuchEntity, "The Access Key with id " + std::string(key_id) + " cannot be found.");
}

json keyMetadata(const AccessKey& key) {
  return json{{"UserName", key.user_name},
              {"AccessKeyId", key.id},
              {"Status", key.active ? "Active" : "Inactive"},
              {"CreateDate", formatIso8601(key.create_date)}};
}

// The user the operation is about: UserName, or the caller.
Result<std::string> targetUser(const Call& call, const json& input) {
  std::string name = inputString(input, "UserName");
  if (!name.empty()) return name;
  if (callerIsRoot(call)) return fail(rootKeysNotManaged());
  return callerUserName(call);
}

Result<json> createAccessKey(store::Store& store, const Call& call, const json& input) {
  IAMLOCAL_ASSIGN_OR_RETURN(const std::string name, targetUser(call, input));
  AccessKey key;
  key.id = ids::accessKeyId(ids::kAccessKeyPrefix);
  key.secret = auth::secretAccessKey();
  key.create_date = call.now;
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto user = account.users.find(name);
  if (user == account.users.end()) return fail(noSuchUser(name));
  if (user->second.access_key_ids.size() >= kAccessKeysPerUser)
    return fail(ErrorCode::LimitExceeded,
                "Cannot exceed quota for AccessKeysPerUser: " + std::to_string(kAccessKeysPerUser));
  key.user_name = user->second.name;
  json out = {{"AccessKey",
               {{"UserName", key.user_name},
                {"AccessKeyId", key.id},
                {"Status", "Active"},
                {"SecretAccessKey", key.secret},
                {"CreateDate", formatIso8601(key.create_date)}}}};
  user->second.access_key_ids.push_back(key.id);
  store.indexAccessKey(key.id, account.id);
  std::string id = key.id;
  account.access_keys.emplace(std::move(id), std::move(key));
  return out;
}

// The key `key_id` of the target user, for UpdateAccessKey/DeleteAccessKey.
Result<std::pair<User*, AccessKey*>> findUserKey(Account& account, const Call& call, const json& input) {
  const std::string key_id = inputString(input, "AccessKeyId");
  std::string name = inputString(input, "UserName");
  if (name.empty()) {
    if (callerIsRoot(call)) {
      if (key_id == call.caller.access_key_id) return fail(rootKeysNotManaged());
      return fail(noSuchAccessKey(key_id));
    }
    IAMLOCAL_ASSIGN_OR_RETURN(name, callerUserName(call));
  }
  auto user = account.users.find(name);
  if (user == account.users.end()) return fail(noSuchUser(name));
  auto key = account.access_keys.find(key_id);
  if (key == account.access_keys.end() || !iequals(key->second.user_name, user->second.name))
    return fail(noSuchAccessKey(key_id));
  return std::pair{&user->second, &key->second};
}

Result<json> deleteAccessKey(store::Store& store, const Call& call, const json& input) {
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  IAMLOCAL_ASSIGN_OR_RETURN(auto found, findUserKey(account, call, input));
  auto [user, key] = found;
  const std::string key_id = key->id;
  std::erase(user->access_key_ids, key_id);
  store.unindexAccessKey(key_id);
  account.access_keys.erase(key_id);
  return json::object();
}

Result<json> updateAccessKey(store::Store& store, const Call& call, const json& input) {
  const std::string status = inputString(input, "Status");
  // The model's status enum also holds "Expired", which only AWS sets.
  if (status != "Active" && status != "Inactive")
    return fail(ErrorCode::InvalidInput, "Status " + status + " is not valid; it must be Active or Inactive.");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  IAMLOCAL_ASSIGN_OR_RETURN(auto found, findUserKey(account, call, input));
  found.second->active = status == "Active";
  return json::object();
}

Result<json> listAccessKeys(store::Store& store, const Call& call, const json& input) {
  std::string name = inputString(input, "UserName");
  if (name.empty() && callerIsRoot(call)) {
    // The root's own key: the one this request was signed with.
    json keys = json::array();
    if (!call.caller.access_key_id.empty())
      keys.push_back(json{{"AccessKeyId", call.caller.access_key_id}, {"Status", "Active"}});
    return json{{"AccessKeyMetadata", std::move(keys)}, {"IsTruncated", false}};
  }
  if (name.empty()) {
    IAMLOCAL_ASSIGN_OR_RETURN(name, callerUserName(call));
  }
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return fail(noSuchUser(name));
  auto user = account->users.find(name);
  if (user == account->users.end()) return fail(noSuchUser(name));
  json out = json::object();
  paginateVector(user->second.access_key_ids, input, out, "AccessKeyMetadata", [&](const std::string& key_id) {
    auto key = account->access_keys.find(key_id);
    return key == account->access_keys.end() ? json::object() : keyMetadata(key->second);
  });
  return out;
}

Result<json> getAccessKeyLastUsed(store::Store& store, const Call& call, const json& input) {
  const std::string key_id = inputString(input, "AccessKeyId");
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  const AccessKey* key = nullptr;
  if (account) {
    auto it = account->access_keys.find(key_id);
    if (it != account->access_keys.end()) key = &it->second;
  }
  // GetAccessKeyLastUsed has no NoSuchEntity: a key the caller's account does
  // not own (or that does not exist) is refused as not authorized.
  if (!key)
    return fail(ErrorCode::AccessDenied, "User: " + call.caller.arn +
                                             " is not authorized to perform: iam:GetAccessKeyLastUsed on resource: "
                                             "access key " + key_id);
  json last_used;
  if (key->last_used_date) {
    last_used = {{"LastUsedDate", formatIso8601(*key->last_used_date)},
                 {"ServiceName", key->last_used_service.empty() ? "N/A" : key->last_used_service},
                 {"Region", key->last_used_region.empty() ? "N/A" : key->last_used_region}};
  } else {
    // Never used: AWS answers N/A for both and no date.
    last_used = {{"ServiceName", "N/A"}, {"Region", "N/A"}};
  }
  return json{{"UserName", key->user_name}, {"AccessKeyLastUsed", std::move(last_used)}};
}

}  // namespace

void registerAccessKeyOperations(OperationTable& table, store::Store& store) {
  auto bind = [&](std::string_view action, auto fn) {
    table.add("iam", action, [&store, fn](const Call& call, const json& input) { return fn(store, call, input); });
  };
  bind("CreateAccessKey", createAccessKey);
  bind("DeleteAccessKey", deleteAccessKey);
  bind("UpdateAccessKey", updateAccessKey);
  bind("ListAccessKeys", listAccessKeys);
  bind("GetAccessKeyLastUsed", getAccessKeyLastUsed);
}

}  // namespace iamlocal::services::iam
