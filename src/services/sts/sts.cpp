// STS operations: GetCallerIdentity, GetSessionToken, AssumeRole,
// GetAccessKeyInfo here; GetFederationToken, AssumeRoot and
// DecodeAuthorizationMessage in their own files (sts_operations.h). The
// web-identity and SAML federation operations have no handler: the query
// endpoint answers them with a well-formed InvalidAction naming the operation.
#include "iamlocal/services/sts.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <shared_mutex>

#include <nlohmann/json.hpp>

#include "iamlocal/core/ids.h"
#include "iamlocal/core/strings.h"
#include "mfa.h"
#include "session_tags.h"
#include "sessions.h"
#include "sts_operations.h"
#include "trust.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;
using sts::credentialsToJson;
using sts::inputInt;
using sts::inputString;
using sts::isSessionCaller;
using sts::newSession;
using sts::packedPolicySize;

// AssumeRole's default session, and the cap on sessions assumed by an
// assumed-role session (role chaining).
constexpr int kDefaultRoleSeconds = 3600;
constexpr int kRoleChainingMaxSeconds = 3600;
// GetSessionToken: 12 hours by default for IAM users; the account root is
// limited to one hour, and a longer request silently gets one hour.
constexpr int kDefaultSessionTokenSeconds = 43200;
constexpr int kRootSessionMaxSeconds = 3600;

Result<json> getCallerIdentity(const Call& call, const json&) {
  json out;
  auto& o = newObject(out);
  o.emplace_hint(o.end(), "Account", call.caller.account_id);
  o.emplace_hint(o.end(), "Arn", call.caller.arn);
  o.emplace_hint(o.end(), "UserId", call.caller.user_id);
  return out;
}

Result<json> getSessionToken(store::Store& store, const Call& call, const json& input) {
  if (isSessionCaller(call))
    return fail(ErrorCode::AccessDenied, "Cannot call GetSessionToken with session credentials");
  const bool root = call.caller.type == auth::PrincipalType::Root;
  int duration = inputInt(input, "DurationSeconds").value_or(root ? kRootSessionMaxSeconds : kDefaultSessionTokenSeconds);
  if (root) duration = std::min(duration, kRootSessionMaxSeconds);

  store::Session session = newSession(call.now, duration);
  session.principal = call.caller;
  session.principal.access_key_id = session.access_key_id;
  session.source_account = call.caller.account_id;
  if (call.caller.type == auth::PrincipalType::User) session.source_user_name = call.caller.name;
  session.issued_at = call.now;
  session.issued_by = store::Session::IssuedBy::GetSessionToken;
  std::unique_lock lock(store.mutex());
  // SerialNumber and TokenCode make the session MFA-authenticated
  // (aws:MultiFactorAuthPresent), or refuse it when they do not check out.
  IAMLOCAL_ASSIGN_OR_RETURN(session.mfa_authenticated, sts::checkMfaCode(store, call, input, call.now));
  json out = {{"Credentials", credentialsToJson(session)}};
  store.addSession(std::move(session), call.now);
  return out;
}

// Makes fresh credentials (newSession) a session of `role` in `account_id`
// named `session_name`, lasting `duration_seconds` from `now`.
void fillRoleSession(store::Session& session, std::string_view account_id, const store::Role& role,
                     std::string_view session_name, int duration_seconds, TimePoint now) {
  session.expiration = std::chrono::time_point_cast<std::chrono::seconds>(now) + std::chrono::seconds(duration_seconds);
  session.role_arn = role.arn;
  session.role_name = role.name;
  session.role_id = role.id;
  session.session_name = std::string(session_name);
  session.source_account = std::string(account_id);
  session.issued_at = now;
  auth::Principal& p = session.principal;
  p.type = auth::PrincipalType::AssumedRole;
  p.account_id = std::string(account_id);
  p.arn.reserve(32 + account_id.size() + role.name.size() + session_name.size());
  p.arn.assign("arn:aws:sts::").append(account_id).append(":assumed-role/").append(role.name).append("/").append(
      session_name);
  p.user_id.reserve(role.id.size() + 1 + session_name.size());
  p.user_id.assign(role.id).append(":").append(session_name);
  p.name = role.name;
  p.access_key_id = session.access_key_id;
}

// "arn:aws:iam::ACCT:role/path/Name" -> {ACCT, Name}, or nullopt for any
// other ARN.
struct RoleArn {
  std::string account_id, name;
};
std::optional<RoleArn> parseRoleArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  if (!arn.starts_with(kPrefix)) return std::nullopt;
  arn.remove_prefix(kPrefix.size());
  auto colon = arn.find(':');
  if (colon != 12) return std::nullopt;
  RoleArn out{std::string(arn.substr(0, 12)), {}};
  if (!std::all_of(out.account_id.begin(), out.account_id.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::string_view resource = arn.substr(13);
  if (!resource.starts_with("role/")) return std::nullopt;
  out.name = std::string(resource.substr(resource.rfind('/') + 1));
  if (out.name.empty()) return std::nullopt;
  return out;
}

// AssumeRole. The trust policy always decides; what else is weighed depends
// on the auth mode (StsOptions): in accept and verify mode only the trust
// policy, since those modes authorize nothing else; in enforce mode the
// caller's own policies too wherever AWS needs them (a trust policy naming
// only the caller's account, or a caller from another account); in soft
// mode the same, with the caller's refusals only logged. The account root
// is let in by a trust policy naming its account, except in enforce mode.
//
// Concurrency: the decision and the new session (the session table has its
// own lock) are made under the store's shared lock, so AssumeRoles (and
// other readers) run side by side and the request is linearised there. The
// credentials are drawn before any lock. The unique lock is taken only when
// RoleLastUsed changes, which it does at most once a second per role and
// region (it is shown to the second); a role deleted meanwhile is not
// noted.
Result<json> assumeRole(store::Store& store, const StsOptions& options, const Call& call, const json& input) {
  const std::string role_arn = inputString(input, "RoleArn");
  const std::string session_name = inputString(input, "RoleSessionName");
  const bool chained = call.caller.type == auth::PrincipalType::AssumedRole;
  const auto parsed = parseRoleArn(role_arn);

  // Drawn before any lock: random bytes cost a system call.
  store::Session issued = newSession(call.now, kDefaultRoleSeconds);
  std::optional<int> packed;
  std::string role_id;
  bool note_use = false;
  json out;
  {
    std::shared_lock lock(store.mutex());
    // A missing role is refused as not authorized, as AWS does: the caller
    // learns nothing about which roles exist.
    const store::Account* account = parsed ? store.findAccount(parsed->account_id) : nullptr;
    if (!account) return fail(sts::notAuthorizedOnRole(call, "sts:AssumeRole", role_arn));
    auto found = account->roles.find(parsed->name);
    if (found == account->roles.end() || !iequals(found->second.arn, role_arn))
      return fail(sts::notAuthorizedOnRole(call, "sts:AssumeRole", role_arn));
    const store::Role& role = found->second;

    // What a calling session passes on: transitive tags, source identity.
    const std::shared_ptr<const store::Session> caller_session =
        isSessionCaller(call) ? store.findSession(call.caller.access_key_id) : nullptr;
    IAMLOCAL_ASSIGN_OR_RETURN(sts::SessionTagging tagging, sts::readSessionTags(input, caller_session.get()));
    IAMLOCAL_ASSIGN_OR_RETURN(std::string source_identity,
                              sts::resolveSourceIdentity(input, caller_session.get(), call.caller.arn, role.arn));
    IAMLOCAL_ASSIGN_OR_RETURN(auto session_policies, sts::sessionPolicies(account, input));
    IAMLOCAL_ASSIGN_OR_RETURN(packed, packedPolicySize(input));
    IAMLOCAL_ASSIGN_OR_RETURN(const bool mfa_authenticated, sts::checkMfaCode(store, call, input, call.now));

    // The permissions the request needs, each with the request's keys.
    std::vector<policy::ContextEntry> keys;
    if (input.contains("ExternalId"))
      keys.push_back({"sts:externalid", policy::ContextKeyType::String, {inputString(input, "ExternalId")}});
    keys.push_back({"sts:rolesessionname", policy::ContextKeyType::String, {session_name}});
    if (!source_identity.empty())
      keys.push_back({"sts:sourceidentity", policy::ContextKeyType::String, {source_identity}});
    if (mfa_authenticated) {
      // Long-term credentials carry no MFA state; a code checked by this very
      // request makes the caller MFA-authenticated, just now.
      keys.push_back({"aws:multifactorauthpresent", policy::ContextKeyType::Boolean, {"true"}});
      keys.push_back({"aws:multifactorauthage", policy::ContextKeyType::Numeric, {"0"}});
    }
    sts::appendTagContext(tagging, keys);
    std::vector<AccessCheck> checks;
    checks.push_back({"sts:AssumeRole", role.arn, keys});
    // Tags passed on from a calling session are session tags of the new one
    // too: they need sts:TagSession as much as requested ones.
    if (!tagging.tags.empty()) checks.push_back({"sts:TagSession", role.arn, keys});
    if (!source_identity.empty()) checks.push_back({"sts:SetSourceIdentity", role.arn, std::move(keys)});
    const sts::CallerSide side = !options.evaluate_caller_policies  ? sts::CallerSide::TrustOnly
                                 : options.caller_refusals_log_only ? sts::CallerSide::LogOnly
                                                                    : sts::CallerSide::Enforce;
    // AWS refuses the account root outright; so does enforce mode. Accept and
    // verify keep letting it in by the trust policy: local emulators' default
    // keys are the root's, and tests written against them assume roles so.
    if (call.caller.type == auth::PrincipalType::Root && side == sts::CallerSide::Enforce)
      return fail(ErrorCode::AccessDenied, "Roles may not be assumed by root accounts.");
    IAMLOCAL_RETURN_IF_ERROR(sts::authorizeAssumeRole(store, call, role, account->id, checks, side));

    int duration = kDefaultRoleSeconds;
    if (auto requested = inputInt(input, "DurationSeconds")) {
      if (chained && *requested > kRoleChainingMaxSeconds)
        return fail(ErrorCode::ValidationError,
                    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
      if (*requested > role.max_session_duration)
        return fail(ErrorCode::ValidationError,
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
      duration = *requested;
    }

    fillRoleSession(issued, account->id, role, session_name, duration, call.now);
    issued.source_account = call.caller.account_id;
    // Passed session policies limit the session even when none of them
    // could be found.
    issued.has_session_policies = input.contains("Policy") || input.contains("PolicyArns");
    issued.session_policies = std::move(session_policies);
    issued.tags = std::move(tagging.tags);
    issued.transitive_tag_keys = std::move(tagging.transitive_keys);
    issued.source_identity = std::move(source_identity);
    issued.mfa_authenticated = mfa_authenticated;
    role_id = role.id;
    note_use = role.last_used_date != std::chrono::floor<std::chrono::seconds>(call.now) || role.last_used_region != call.region;

    const auth::Principal& p = issued.principal;
    auto& o = newObject(out);
    json user;
    auto& u = newObject(user);
    u.emplace_hint(u.end(), "Arn", p.arn);
    u.emplace_hint(u.end(), "AssumedRoleId", p.user_id);
    o.emplace_hint(o.end(), "AssumedRoleUser", std::move(user));
    o.emplace_hint(o.end(), "Credentials", credentialsToJson(issued));
    if (packed) out["PackedPolicySize"] = *packed;
    if (!issued.source_identity.empty()) out["SourceIdentity"] = issued.source_identity;
    store.addSession(std::move(issued), call.now);
  }

  if (note_use) {
    std::unique_lock lock(store.mutex());
    if (store.findAccount(parsed->account_id) != nullptr) {
      store::Account& account = store.account(parsed->account_id);
      if (auto found = account.roles.find(parsed->name); found != account.roles.end() && found->second.id == role_id) {
        found->second.last_used_date = std::chrono::floor<std::chrono::seconds>(call.now);
        found->second.last_used_region = call.region;
      }
    }
  }
  return out;
}

Result<json> getAccessKeyInfo(const auth::CredentialSource& credentials, const StsOptions& options, const Call&,
                              const json& input) {
  const std::string key_id = inputString(input, "AccessKeyId");
  if (auto credential = credentials.findAccessKey(key_id)) return json{{"Account", credential->principal.account_id}};
  // AWS decodes the account from any key id it issued, whatever the key's
  // state; ours carry no account, so a key iamlocal never issued (or has
  // forgotten) is attributed to the default account.
  return json{{"Account", options.default_account_id}};
}

}  // namespace

store::Session newRoleSession(const store::Account& account, const store::Role& role, std::string_view session_name,
                              int duration_seconds, TimePoint now) {
  store::Session session = newSession(now, duration_seconds);
  fillRoleSession(session, account.id, role, session_name, duration_seconds, now);
  return session;
}

void registerStsOperations(OperationTable& table, store::Store& store, const auth::CredentialSource& credentials,
                           StsOptions options) {
  table.add("sts", "GetCallerIdentity", getCallerIdentity);
  table.add("sts", "GetSessionToken",
            [&store](const Call& call, const json& input) { return getSessionToken(store, call, input); });
  table.add("sts", "AssumeRole",
            [&store, options](const Call& call, const json& input) { return assumeRole(store, options, call, input); });
  table.add("sts", "GetAccessKeyInfo", [&credentials, options](const Call& call, const json& input) {
    return getAccessKeyInfo(credentials, options, call, input);
  });
  sts::registerFederationTokenOperation(table, store);
  sts::registerAssumeRootOperation(table, store);
  sts::registerDecodeAuthorizationMessageOperation(table);
}

}  // namespace iamlocal::services
