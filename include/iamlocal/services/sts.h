// The STS service: registers GetCallerIdentity, GetSessionToken, AssumeRole,
// GetAccessKeyInfo and DecodeAuthorizationMessage. Temporary credentials are
// kept in the store, through which later requests signed with them are
// authenticated and identified.
#pragma once

#include <string>
#include <string_view>

#include "iamlocal/auth/principal.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services {

struct StsOptions {
  // The account GetAccessKeyInfo names for a key it cannot attribute.
  std::string default_account_id = "000000000000";
  // What AssumeRole weighs beside the role's trust policy: in accept and
  // verify mode nothing else (those modes authorize nothing); in enforce
  // mode the caller's own policies too, where AWS needs them; in soft mode
  // the same, but a refusal by the caller's policies is only logged.
  bool evaluate_caller_policies = false;
  bool caller_refusals_log_only = false;
};

// `credentials` is every key the process knows (configured roots, IAM users'
// keys, sessions): GetAccessKeyInfo answers from it.
void registerStsOperations(OperationTable& table, store::Store& store, const auth::CredentialSource& credentials,
                           StsOptions options = {});

// A new session of `role` named `session_name`, as AssumeRole issues it but
// without any trust check: for callers that have already decided the role
// may be used (the instance metadata service for an instance's profile).
// The caller adds it with Store::addSession, holding the mutex unique.
store::Session newRoleSession(const store::Account& account, const store::Role& role, std::string_view session_name,
                              int duration_seconds, TimePoint now);

}  // namespace iamlocal::services
