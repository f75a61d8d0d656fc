// Authorization of requests with the policy engine: the request context AWS
// builds for a caller (global condition keys), the decision over the
// caller's policies, and AWS's AccessDenied texts. Used by the query
// endpoint in enforce/soft mode and by STS AssumeRole's trust evaluation.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "iamlocal/core/error.h"
#include "iamlocal/policy/evaluator.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services {

// Fills `out` (cleared first, its storage reused) for `check` asked by
// `call.caller`: action, resource, the principal fields (principal_arn,
// principal_account, role_arn for assumed-role sessions, principal_is_root),
// now, and the keys AWS sets for every request: aws:PrincipalArn,
// aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username (users),
// aws:PrincipalTag/* (the user's or role's tags; a session's own tags
// override the role's), aws:SourceIp, aws:CurrentTime, aws:EpochTime,
// aws:SecureTransport, aws:RequestedRegion, aws:MultiFactorAuthPresent and
// aws:MultiFactorAuthAge (temporary credentials only), aws:TokenIssueTime
// and aws:SourceIdentity (sessions), aws:ResourceTag/* when check.resource
// names a tagged entity of the store, then check.context (which wins).
// The context is finalized. Hold the store's mutex (shared or unique).
void fillRequestContext(const store::Store& store, const Call& call, const AccessCheck& check,
                        policy::RequestContext& out);

// Whether `call.caller` may perform `check`: the caller's identity,
// boundary and session policies (collectCallerPolicies), plus
// `resource_policy` when the resource has one, owned by `resource_account`
// (empty: the caller's account). The root user of the resource's account is
// allowed unless a policy denies it explicitly. Hold the store's mutex
// (shared or unique) while calling and while using the Decision's matched
// statements, which point into the store's policies.
policy::Decision decideAccess(const store::Store& store, const Call& call, const AccessCheck& check,
                              const policy::CompiledPolicy* resource_policy = nullptr,
                              std::string_view resource_account = {});
// The same, reusing `out`'s storage (no allocation once warm).
void decideAccess(const store::Store& store, const Call& call, const AccessCheck& check, policy::Decision& out,
                  const policy::CompiledPolicy* resource_policy = nullptr, std::string_view resource_account = {});

// AWS's AccessDenied (403) for a denied `check`, e.g. "User: <arn> is not
// authorized to perform: iam:ListUsers on resource: <arn> because no
// identity-based policy allows the iam:ListUsers action", with the reason
// the decision's type and layer give.
Error accessDenied(const Call& call, const AccessCheck& check, const policy::Decision& decision);

// Why the decision denied, as AWS's message ends: "because no identity-based
// policy allows the iam:X action", "with an explicit deny in a permissions
// boundary", ...
std::string denialReason(const AccessCheck& check, const policy::Decision& decision);

// EC2's answer to a denied `check` (403 UnauthorizedOperation): "You are not
// authorized to perform this operation. User: ... Encoded authorization
// failure message: <text sts:DecodeAuthorizationMessage decodes>". Hold the
// store's mutex, as for decideAccess.
Error unauthorizedOperation(const store::Store& store, const Call& call, const AccessCheck& check,
                            const policy::Decision& decision);

// Decides every check of one request in order, under the store's mutex
// (taken shared here): nullopt when all are allowed, else the error the
// request's service answers the first denial with (AccessDenied for IAM and
// STS, UnauthorizedOperation for EC2).
std::optional<Error> authorizeChecks(const store::Store& store, const Call& call, std::span<const AccessCheck> checks);

// What temporary credentials from GetSessionToken and GetFederationToken may
// not call, whatever their policies say ("Compare AWS STS credentials"; the
// GetSessionToken and GetFederationToken API references, "Permissions"):
//   GetSessionToken:    IAM unless the request that made them carried MFA
//                       (SerialNumber and TokenCode); STS except AssumeRole
//                       and GetCallerIdentity.
//   GetFederationToken: IAM at all; STS except GetCallerIdentity.
// IAM answers InvalidClientTokenId (403) "The security token included in the
// request is invalid.", STS AccessDenied (403) "Cannot call <Operation> with
// session credentials". Other callers (long-term keys, role sessions,
// AssumeRoot's) and EC2 are not limited here. `credentials_verified`: the
// endpoint checks credentials (verify, enforce, soft); when it does not
// (accept) the IAM refusal, a verdict on the token, is not made either.
// Takes the store's mutex (shared) when it has to look the session up.
std::optional<Error> temporaryCredentialRefusal(const store::Store& store, const auth::Principal& caller,
                                                std::string_view service, std::string_view action,
                                                bool credentials_verified);

// The access tables: every IAM and STS operation's AccessDescriber (see
// src/services/iam/access.cpp and src/services/sts/access.cpp). A describer
// that appends no check means the operation needs no permission (STS
// GetCallerIdentity, GetSessionToken; AssumeRole and the federation
// operations, which their handlers authorize through trust policies).
void registerIamAccess(OperationTable& table, const store::Store& store);
void registerStsAccess(OperationTable& table);

}  // namespace iamlocal::services
