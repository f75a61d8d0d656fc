// Whether a role's trust policy lets a caller assume it, decided without the
// policy engine (see interimTrustAllows).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iamlocal::services::sts {

struct TrustRequest {
  std::string account_id;                 // the caller's account
  std::vector<std::string> caller_arns;   // every ARN that names the caller (user, role, assumed-role session)
  std::string action = "sts:AssumeRole";
  std::optional<std::string> external_id;  // the request's ExternalId
  bool mfa_present = false;                // aws:MultiFactorAuthPresent
};

// INTERIM, until the policy engine evaluates trust policies: true when the
// trust policy (JSON text) has an Allow statement whose Principal names the
// caller ("*", {"AWS": "*"}, the caller's account id or
// arn:aws:iam::ACCT:root, or one of the caller's exact ARNs), whose Action
// covers the request's action (exact, or a wildcard such as sts:* or *), and
// whose sts:ExternalId (StringEquals/StringLike) and MFA conditions
// (aws:MultiFactorAuthPresent, aws:MultiFactorAuthAge) the request meets;
// and no Deny statement matching the same way. Condition keys other than
// these are not evaluated (treated as met). A document that is not JSON
// allows nothing. The policy engine replaces this function.
bool interimTrustAllows(std::string_view trust_policy, const TrustRequest& request);

}  // namespace iamlocal::services::sts
