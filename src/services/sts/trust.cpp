#include "trust.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "iamlocal/services/authorizer.h"

namespace iamlocal::services::sts {
namespace {

// The trust policy's own verdict in a decision: an Allow statement of the
// resource layer applied to the caller, and no Deny of that layer did.
bool trustAllows(const policy::Decision& decision) {
  if (decision.type == policy::DecisionType::ExplicitDeny && decision.layer == policy::PolicyLayer::Resource)
    return false;
  bool allow = false;
  for (const auto& m : decision.matched) {
    if (m.layer != policy::PolicyLayer::Resource) continue;
    if (!m.allow) return false;
    allow = true;
  }
  return allow;
}

}  // namespace

Error notAuthorizedOnRole(const Call& call, std::string_view action, std::string_view role_arn) {
  return makeError(ErrorCode::AccessDenied, "User: " + call.caller.arn + " is not authorized to perform: " +
                                                std::string(action) + " on resource: " + std::string(role_arn));
}

Status authorizeAssumeRole(const store::Store& store, const Call& call, const store::Role& role,
                           std::string_view role_account, const std::vector<AccessCheck>& checks, CallerSide side) {
  const policy::CompiledPolicy* trust =
      role.trust_policy && role.trust_policy->compiled ? role.trust_policy->compiled.get() : nullptr;
  for (const auto& check : checks) {
    if (trust == nullptr) return fail(notAuthorizedOnRole(call, check.action, role.arn));
    policy::Decision decision;
    if (side == CallerSide::TrustOnly) {
      // The caller's policies are not consulted: only the trust policy's
      // statements are in the set, and only its verdict is read.
      policy::RequestContext context;
      fillRequestContext(store, call, check, context);
      context.resource_account = std::string(role_account);
      policy::PolicySet set;
      set.resource.push_back(trust);
      policy::evaluate(set, context, decision);
    } else {
      decideAccess(store, call, check, decision, trust, role_account);
    }
    if (!trustAllows(decision)) return fail(notAuthorizedOnRole(call, check.action, role.arn));
    if (side == CallerSide::TrustOnly || decision.allowed()) continue;
    if (side == CallerSide::Enforce) return fail(notAuthorizedOnRole(call, check.action, role.arn));
    SPDLOG_WARN("soft auth: would deny {} {} on {}: {}", call.caller.arn, check.action, role.arn,
                denialReason(check, decision));
  }
  return {};
}

}  // namespace iamlocal::services::sts
