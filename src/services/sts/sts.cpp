// STS operations: GetCallerIdentity, GetSessionToken, AssumeRole,
// GetAccessKeyInfo, DecodeAuthorizationMessage. The federation operations
// (AssumeRoleWithWebIdentity, AssumeRoleWithSAML, GetFederationToken,
// AssumeRoot, ...) have no handler: the query endpoint answers them with a
// well-formed InvalidAction naming the operation.
#include "iamlocal/services/sts.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include <nlohmann/json.hpp>

#include "iamlocal/core/ids.h"
#include "iamlocal/core/strings.h"
#include "sessions.h"
#include "trust.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;
using sts::credentialsToJson;
using sts::inputInt;
using sts::inputString;
using sts::isSessionCaller;
using sts::newSession;

// AssumeRole's default session, and the cap on sessions assumed by an
// assumed-role session (role chaining).
constexpr int kDefaultRoleSeconds = 3600;
constexpr int kRoleChainingMaxSeconds = 3600;
// GetSessionToken: 12 hours by default for IAM users; the account root is
// limited to one hour, and a longer request silently gets one hour.
constexpr int kDefaultSessionTokenSeconds = 43200;
constexpr int kRootSessionMaxSeconds = 3600;
// The packed (compressed) size limit of session policies and tags that
// PackedPolicySize reports a percentage of.
constexpr std::size_t kPackedPolicyBytes = 2048;

Result<json> getCallerIdentity(const Call& call, const json&) {
  return json{{"UserId", call.caller.user_id}, {"Account", call.caller.account_id}, {"Arn", call.caller.arn}};
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
  json out = {{"Credentials", credentialsToJson(session)}};
  std::unique_lock lock(store.mutex());
  store.addSession(std::move(session), call.now);
  return out;
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

Error notAuthorizedToAssume(const Call& call, std::string_view role_arn) {
  return makeError(ErrorCode::AccessDenied, "User: " + call.caller.arn +
                                                " is not authorized to perform: sts:AssumeRole on resource: " +
                                                std::string(role_arn));
}

// PackedPolicySize: the session policy (without insignificant whitespace),
// the managed policy ARNs and the session tags as a percentage of the
// packed limit. AWS compresses before measuring; this is an upper bound of
// its figure, so a request AWS accepts may, near the limit, be refused here.
Result<std::optional<int>> packedPolicySize(const json& input) {
  auto policy = input.find("Policy");
  auto arns = input.find("PolicyArns");
  auto tags = input.find("Tags");
  if (policy == input.end() && arns == input.end() && tags == input.end()) return std::optional<int>();
  std::size_t bytes = 0;
  if (policy != input.end() && policy->is_string()) {
    const json document = json::parse(policy->get<std::string>(), nullptr, /*allow_exceptions=*/false);
    if (!document.is_object()) return fail(ErrorCode::MalformedPolicyDocument, "Syntax errors in policy.");
    bytes += document.dump().size();
  }
  if (arns != input.end() && arns->is_array())
    for (const auto& d : *arns) bytes += d.value("arn", std::string()).size();
  if (tags != input.end() && tags->is_array())
    for (const auto& t : *tags) bytes += t.value("Key", std::string()).size() + t.value("Value", std::string()).size();
  const int percent = static_cast<int>((bytes * 100 + kPackedPolicyBytes - 1) / kPackedPolicyBytes);
  if (percent > 100)
    return fail(ErrorCode::PackedPolicyTooLarge, "Packed policy consumes " + std::to_string(percent) +
                                                     "% of allotted space, please use smaller policy for session.");
  return std::optional<int>(percent);
}

Result<json> assumeRole(store::Store& store, const Call& call, const json& input) {
  const std::string role_arn = inputString(input, "RoleArn");
  const std::string session_name = inputString(input, "RoleSessionName");
  const bool chained = call.caller.type == auth::PrincipalType::AssumedRole;

  std::unique_lock lock(store.mutex());
  auto parsed = parseRoleArn(role_arn);
  // A missing role is refused as not authorized, as AWS does: the caller
  // learns nothing about which roles exist.
  store::Account* account = nullptr;
  if (parsed && store.findAccount(parsed->account_id)) account = &store.account(parsed->account_id);
  if (!account) return fail(notAuthorizedToAssume(call, role_arn));
  auto found = account->roles.find(parsed->name);
  if (found == account->roles.end() || !iequals(found->second.arn, role_arn))
    return fail(notAuthorizedToAssume(call, role_arn));
  store::Role& role = found->second;

  sts::TrustRequest trust;
  trust.account_id = call.caller.account_id;
  trust.caller_arns.push_back(call.caller.arn);
  if (chained) {
    // Trust policies name the role behind a session, not the session.
    if (const store::Session* session = store.findSession(call.caller.access_key_id))
      trust.caller_arns.push_back(session->role_arn);
  }
  if (input.contains("ExternalId")) trust.external_id = inputString(input, "ExternalId");
  if (!role.trust_policy || !sts::interimTrustAllows(role.trust_policy->text, trust)) return fail(notAuthorizedToAssume(call, role_arn));

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
  IAMLOCAL_ASSIGN_OR_RETURN(const std::optional<int> packed, packedPolicySize(input));

  store::Session session = newRoleSession(*account, role, session_name, duration, call.now);
  session.source_account = call.caller.account_id;
  const auth::Principal& p = session.principal;

  json out = {{"Credentials", credentialsToJson(session)},
              {"AssumedRoleUser", {{"AssumedRoleId", p.user_id}, {"Arn", p.arn}}}};
  if (packed) out["PackedPolicySize"] = *packed;
  if (input.contains("SourceIdentity")) out["SourceIdentity"] = inputString(input, "SourceIdentity");

  role.last_used_date = call.now;
  role.last_used_region = call.region;
  store.addSession(std::move(session), call.now);
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

Result<json> decodeAuthorizationMessage(const Call&, const json&) {
  // iamlocal issues no encoded authorization messages, so none decodes.
  return fail(ErrorCode::InvalidAuthorizationMessageException,
              "The encoded authorization message is invalid or was not issued by this service.");
}

}  // namespace

store::Session newRoleSession(const store::Account& account, const store::Role& role, std::string_view session_name,
                              int duration_seconds, TimePoint now) {
  store::Session session = newSession(now, duration_seconds);
  session.role_arn = role.arn;
  session.role_name = role.name;
  session.role_id = role.id;
  session.session_name = std::string(session_name);
  session.source_account = account.id;
  session.issued_at = now;
  auth::Principal& p = session.principal;
  p.type = auth::PrincipalType::AssumedRole;
  p.account_id = account.id;
  p.arn = "arn:aws:sts::" + account.id + ":assumed-role/" + role.name + "/" + session.session_name;
  p.user_id = role.id + ":" + session.session_name;
  p.name = role.name;
  p.access_key_id = session.access_key_id;
  return session;
}

void registerStsOperations(OperationTable& table, store::Store& store, const auth::CredentialSource& credentials,
                           StsOptions options) {
  table.add("sts", "GetCallerIdentity", getCallerIdentity);
  table.add("sts", "GetSessionToken",
            [&store](const Call& call, const json& input) { return getSessionToken(store, call, input); });
  table.add("sts", "AssumeRole",
            [&store](const Call& call, const json& input) { return assumeRole(store, call, input); });
  table.add("sts", "GetAccessKeyInfo", [&credentials, options](const Call& call, const json& input) {
    return getAccessKeyInfo(credentials, options, call, input);
  });
  table.add("sts", "DecodeAuthorizationMessage", decodeAuthorizationMessage);
}

}  // namespace iamlocal::services
