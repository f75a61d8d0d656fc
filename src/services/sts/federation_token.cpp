// GetFederationToken: temporary credentials for a federated user named by
// the caller (an IAM user, or the root), whose permissions are the caller's
// intersected with the session policies passed (none passed: none at all).
#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include "session_tags.h"
#include "sessions.h"
#include "sts_operations.h"

namespace iamlocal::services::sts {
namespace {

// 12 hours by default, 36 at most (the model's bound); the account root is
// limited to one hour, and a longer request silently gets one hour.
constexpr int kDefaultFederationSeconds = 43200;
constexpr int kRootFederationMaxSeconds = 3600;

Result<json> getFederationToken(store::Store& store, const Call& call, const json& input) {
  if (isSessionCaller(call) || call.caller.type == auth::PrincipalType::FederatedUser)
    return fail(ErrorCode::AccessDenied, "Cannot call GetFederationToken with session credentials");
  const std::string name = inputString(input, "Name");
  const bool root = call.caller.type == auth::PrincipalType::Root;
  int duration = inputInt(input, "DurationSeconds").value_or(kDefaultFederationSeconds);
  if (root) duration = std::min(duration, kRootFederationMaxSeconds);

  IAMLOCAL_ASSIGN_OR_RETURN(SessionTagging tagging, readSessionTags(input, nullptr));
  IAMLOCAL_ASSIGN_OR_RETURN(const std::optional<int> packed, packedPolicySize(input));

  store::Session session = newSession(call.now, duration);
  session.source_account = call.caller.account_id;
  if (call.caller.type == auth::PrincipalType::User) session.source_user_name = call.caller.name;
  session.tags = std::move(tagging.tags);
  session.issued_at = call.now;
  session.issued_by = store::Session::IssuedBy::GetFederationToken;
  // The federated user's permissions are always intersected with the
  // session policies: without any, it may do nothing.
  session.has_session_policies = true;
  auth::Principal& p = session.principal;
  p.type = auth::PrincipalType::FederatedUser;
  p.account_id = call.caller.account_id;
  p.arn = "arn:aws:sts::" + call.caller.account_id + ":federated-user/" + name;
  p.user_id = call.caller.account_id + ":" + name;
  p.name = name;
  p.access_key_id = session.access_key_id;

  std::unique_lock lock(store.mutex());
  IAMLOCAL_ASSIGN_OR_RETURN(session.session_policies,
                            sessionPolicies(store.findAccount(call.caller.account_id), input));
  json out = {{"Credentials", credentialsToJson(session)},
              {"FederatedUser", {{"FederatedUserId", p.user_id}, {"Arn", p.arn}}}};
  if (packed) out["PackedPolicySize"] = *packed;
  store.addSession(std::move(session), call.now);
  return out;
}

}  // namespace

void registerFederationTokenOperation(OperationTable& table, store::Store& store) {
  table.add("sts", "GetFederationToken",
            [&store](const Call& call, const json& input) { return getFederationToken(store, call, input); });
}

}  // namespace iamlocal::services::sts
