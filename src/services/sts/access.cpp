// The STS access table: what each STS operation asks permission for, per
// the Service Authorization Reference for AWS STS and the IAM User Guide's
// "Permissions for ..." pages.
//
// Operations that need no permission get a describer that appends nothing
// (the endpoint then decides nothing), which is not the same as having no
// describer (enforce mode refuses those):
//   GetCallerIdentity  "No permissions are required to perform this
//                      operation", even under an explicit deny.
//   GetSessionToken    "No permissions are required for a user to get a
//                      session token"; policies cannot control it.
//   AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML
//                      authorized by their handlers, which evaluate the
//                      role's trust policy (and, for AssumeRole, the
//                      caller's sts:AssumeRole permission) with the same
//                      request context (fillRequestContext).
#include <string>

#include "iamlocal/services/authorizer.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;
using policy::ContextEntry;
using policy::ContextKeyType;

std::string inputString(const json& input, std::string_view member) {
  auto it = input.find(member);
  return it != input.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void noPermissionNeeded(const Call&, const json&, std::vector<AccessCheck>&) {}

}  // namespace

void registerStsAccess(OperationTable& table) {
  for (std::string_view action : {"GetCallerIdentity", "GetSessionToken", "AssumeRole", "AssumeRoleWithWebIdentity",
                                  "AssumeRoleWithSAML"})
    table.setAccess("sts", action, noPermissionNeeded);

  table.setAccess("sts", "GetAccessKeyInfo", [](const Call&, const json&, std::vector<AccessCheck>& out) {
    out.push_back(AccessCheck{"sts:GetAccessKeyInfo", "*", {}});
  });
  table.setAccess("sts", "DecodeAuthorizationMessage", [](const Call&, const json&, std::vector<AccessCheck>& out) {
    out.push_back(AccessCheck{"sts:DecodeAuthorizationMessage", "*", {}});
  });
  // The federated user's ARN, with the session tags the request passes;
  // session tags need sts:TagSession on it too, as for AssumeRole.
  table.setAccess("sts", "GetFederationToken", [](const Call& call, const json& input, std::vector<AccessCheck>& out) {
    AccessCheck check{"sts:GetFederationToken",
                      "arn:aws:sts::" + call.caller.account_id + ":federated-user/" + inputString(input, "Name"),
                      {}};
    appendRequestTags(input, check.context);
    out.push_back(check);
    if (setsTags(input)) {
      check.action = "sts:TagSession";
      out.push_back(std::move(check));
    }
  });
  // AssumeRoot: the member account's root, with the task policy as
  // sts:TaskPolicyArn.
  table.setAccess("sts", "AssumeRoot", [](const Call&, const json& input, std::vector<AccessCheck>& out) {
    AccessCheck check{"sts:AssumeRoot", "arn:aws:iam::" + inputString(input, "TargetPrincipal") + ":root", {}};
    if (auto task = input.find("TaskPolicyArn"); task != input.end() && task->is_object()) {
      std::string arn = task->value("arn", std::string());
      if (!arn.empty()) check.context.push_back(ContextEntry{"sts:taskpolicyarn", ContextKeyType::String, {arn}});
    }
    out.push_back(std::move(check));
  });
  table.setAccess("sts", "GetWebIdentityToken", [](const Call&, const json& input, std::vector<AccessCheck>& out) {
    AccessCheck check{"sts:GetWebIdentityToken", "*", {}};
    appendRequestTags(input, check.context);
    out.push_back(std::move(check));
  });
  // GetDelegatedAccessToken has no describer: its permission is not
  // documented yet, and enforce mode refuses operations without one.
}

}  // namespace iamlocal::services
