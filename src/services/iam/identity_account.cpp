// The account itself: its alias (CreateAccountAlias, DeleteAccountAlias,
// ListAccountAliases) and GetAccountSummary's usage and quota figures.
#include <array>
#include <mutex>
#include <shared_mutex>
#include <utility>

#include "identity_common.h"

namespace iamlocal::services::iam {
namespace {

using store::Account;

Result<json> createAccountAlias(store::Store& store, const Call& call, const json& input) {
  const std::string alias = inputString(input, "AccountAlias");
  std::unique_lock lock(store.mutex());
  // Aliases are unique across every AWS account.
  const std::string owner = store.aliasOwner(alias);
  if (!owner.empty() && owner != call.caller.account_id)
    return fail(ErrorCode::EntityAlreadyExists, "The account alias " + alias + " already exists.");
  Account& account = store.account(call.caller.account_id);
  // An account has at most one alias: a new one replaces the old.
  for (const auto& old : account.aliases)
    if (old != alias) store.unindexAlias(old);
  account.aliases.assign(1, alias);
  store.indexAlias(alias, account.id);
  return json::object();
}

Result<json> deleteAccountAlias(store::Store& store, const Call& call, const json& input) {
  const std::string alias = inputString(input, "AccountAlias");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto it = std::find(account.aliases.begin(), account.aliases.end(), alias);
  if (it == account.aliases.end())
    return fail(ErrorCode::NoSuchEntity, "The account alias " + alias + " cannot be found.");
  account.aliases.erase(it);
  store.unindexAlias(alias);
  return json::object();
}

Result<json> listAccountAliases(store::Store& store, const Call& call, const json& input) {
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  json out = json::object();
  static const std::vector<std::string> kNone;
  paginateVector(account ? account->aliases : kNone, input, out, "AccountAliases",
                 [](const std::string& alias) { return json(alias); });
  return out;
}

// IAM's default quotas as GetAccountSummary reports them ("IAM and AWS STS
// quotas", IAM User Guide; GetAccountSummary API reference).
constexpr std::array<std::pair<std::string_view, int>, 20> kQuotas = {{
    {"UsersQuota", 5000},
    {"GroupsQuota", 300},
    {"RolesQuota", 1000},
    {"PoliciesQuota", 1500},
    {"InstanceProfilesQuota", 1000},
    {"ServerCertificatesQuota", 20},
    {"UserPolicySizeQuota", 2048},
    {"GroupPolicySizeQuota", 5120},
    {"RolePolicySizeQuota", 10240},
    {"AssumeRolePolicySizeQuota", 2048},
    {"PolicySizeQuota", 6144},
    {"PolicyVersionsInUseQuota", 10000},
    {"VersionsPerPolicyQuota", 5},
    {"GroupsPerUserQuota", 10},
    {"SigningCertificatesPerUserQuota", 2},
    {"AccessKeysPerUserQuota", 2},
    {"AttachedPoliciesPerUserQuota", 10},
    {"AttachedPoliciesPerGroupQuota", 10},
    {"AttachedPoliciesPerRoleQuota", 10},
    {"GlobalEndpointTokenVersion", 1},
}};

Result<json> getAccountSummary(store::Store& store, const Call& call, const json&) {
  json summary = json::object();
  for (const auto& [key, value] : kQuotas) summary[std::string(key)] = value;
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  auto count = [&](auto member) -> int { return account ? static_cast<int>((account->*member).size()) : 0; };
  summary["Users"] = count(&Account::users);
  summary["Groups"] = count(&Account::groups);
  summary["Roles"] = count(&Account::roles);
  summary["Policies"] = count(&Account::policies);
  summary["InstanceProfiles"] = count(&Account::instance_profiles);
  int versions_in_use = 0;
  if (account)
    for (const auto& [arn, n] : account->attachment_counts) versions_in_use += n;
  summary["PolicyVersionsInUse"] = versions_in_use;
  // Virtual MFA devices created, and those assigned to a user.
  summary["MFADevices"] = count(&Account::mfa_devices);
  int mfa_in_use = 0;
  if (account)
    for (const auto& [serial, device] : account->mfa_devices) mfa_in_use += device.user_name.empty() ? 0 : 1;
  summary["MFADevicesInUse"] = mfa_in_use;
  // Entities iamlocal does not keep (server certificates, signing
  // certificates, identity providers) are reported as none.
  summary["ServerCertificates"] = 0;
  summary["AccountMFAEnabled"] = 0;
  summary["AccountSigningCertificatesPresent"] = 0;
  summary["Providers"] = 0;
  // The root always has access keys here: they are configured (default test/test).
  summary["AccountAccessKeysPresent"] = 1;
  return json{{"SummaryMap", std::move(summary)}};
}

}  // namespace

void registerAccountOperations(OperationTable& table, store::Store& store) {
  auto bind = [&](std::string_view action, auto fn) {
    table.add("iam", action, [&store, fn](const Call& call, const json& input) { return fn(store, call, input); });
  };
  bind("CreateAccountAlias", createAccountAlias);
  bind("DeleteAccountAlias", deleteAccountAlias);
  bind("ListAccountAliases", listAccountAliases);
  bind("GetAccountSummary", getAccountSummary);
}

}  // namespace iamlocal::services::iam
