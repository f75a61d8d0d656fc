// Whether a caller may assume a role, decided by the policy engine as AWS
// decides it: the role's trust policy is a resource-based policy that must
// always allow, and the caller's own policies must allow too unless the
// trust policy names the caller itself (same account).
#pragma once

#include <string_view>
#include <vector>

#include "iamlocal/core/result.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::sts {

// How much of the caller's side is evaluated.
//   TrustOnly: the trust policy alone (accept and verify modes, which
//              authorize nothing else either).
//   Enforce:   trust policy and the caller's identity, boundary and session
//              policies, combined as AWS combines them (enforce mode).
//   LogOnly:   as Enforce, but a refusal by the caller's side is only logged
//              (soft mode); the trust policy still decides.
enum class CallerSide { TrustOnly, Enforce, LogOnly };

// Decides each check (sts:AssumeRole, and sts:TagSession /
// sts:SetSourceIdentity when the request needs them) against `role`'s trust
// policy as the resource policy of `role_account`:
//   - the trust policy must have an Allow for the caller and no Deny
//     (a role without a usable trust policy lets nobody in);
//   - Enforce/LogOnly: the engine's combining rule then decides, so a trust
//     policy naming the caller's user, role or session ARN suffices in its
//     own account, while one naming only the account (or a caller from
//     another account) also needs the caller's policies to allow.
// The first refusal is AWS's AccessDenied "User: <caller> is not authorized
// to perform: <action> on resource: <role arn>". Hold the store's mutex.
Status authorizeAssumeRole(const store::Store& store, const Call& call, const store::Role& role,
                           std::string_view role_account, const std::vector<AccessCheck>& checks, CallerSide side);

// AWS's refusal of `action` on a role, without a reason (AssumeRole never
// says why).
Error notAuthorizedOnRole(const Call& call, std::string_view action, std::string_view role_arn);

}  // namespace iamlocal::services::sts
