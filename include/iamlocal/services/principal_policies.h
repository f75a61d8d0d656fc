// The policies that govern a principal, gathered from the store for the
// policy engine: enforcement asks with the caller of a request, the
// simulator with the user, group or role it is given.
#pragma once

#include <string_view>

#include "iamlocal/auth/principal.h"
#include "iamlocal/core/result.h"
#include "iamlocal/policy/evaluator.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services {

// Fills the identity, permissions-boundary and session layers of `out` for
// the caller `principal` (its resource layer is left as it is):
//   IAM user:       its inline and attached policies and those of its groups;
//                   its permissions boundary.
//   Assumed role:   the role's inline and attached policies and boundary; the
//                   session's policies (a present, possibly empty, layer).
//   Federated user: the source user's policies (one the root made: allow
//                   everything), intersected by the session's.
//   GetSessionToken sessions: the user's (or root's) own.
//   Root:           nothing; the root is not limited by identity policies.
// The pointers borrow from the store: hold its mutex (shared) while `out`
// is in use.
void collectCallerPolicies(const store::Store& store, const auth::Principal& principal, policy::PolicySet& out);

// The identity policies and boundary of the IAM user, group or role named by
// `arn` (the simulator's PolicySourceArn), or NoSuchEntity / InvalidInput as
// AWS answers for an ARN that names none. Hold the store's mutex shared.
Status collectEntityPolicies(const store::Store& store, std::string_view arn, policy::PolicySet& out);

}  // namespace iamlocal::services
