#include "identity_common.h"

#include <algorithm>

#include "iamlocal/core/strings.h"
#include "iamlocal/store/aws_managed_policies.h"

namespace iamlocal::services::iam {

Error noSuchUser(std::string_view name) {
  return makeError(ErrorCode::NoSuchEntity, "The user with name " + std::string(name) + " cannot be found.");
}

Error noSuchGroup(std::string_view name) {
  return makeError(ErrorCode::NoSuchEntity, "The group with name " + std::string(name) + " cannot be found.");
}

Error noSuchRole(std::string_view name) {
  return makeError(ErrorCode::NoSuchEntity, "The role with name " + std::string(name) + " cannot be found.");
}

Error noSuchInstanceProfile(std::string_view name) {
  return makeError(ErrorCode::NoSuchEntity, "Instance Profile " + std::string(name) + " cannot be found.");
}

bool isServiceLinkedRole(const store::Role& role) { return startsWith(role.path, kServiceLinkedRolePath); }

Error protectedRole(std::string_view name) {
  return makeError(ErrorCode::UnmodifiableEntity, "Cannot perform the operation on the protected role '" +
                                                      std::string(name) + "' - this role is only modifiable by AWS");
}

Status checkBoundaryPolicy(const store::Account* account, std::string_view arn) {
  constexpr std::string_view kIamArnPrefix = "arn:aws:iam::";
  const auto not_valid = [&] { return fail(ErrorCode::InvalidInput, "ARN " + std::string(arn) + " is not valid."); };
  if (!startsWith(arn, kIamArnPrefix)) return not_valid();
  std::string_view rest = arn.substr(kIamArnPrefix.size());
  auto colon = rest.find(':');
  if (colon == std::string_view::npos || !startsWith(rest.substr(colon + 1), "policy/")) return not_valid();
  const auto missing = [&] {
    return fail(ErrorCode::NoSuchEntity, "Policy " + std::string(arn) + " does not exist or is not attachable.");
  };
  if (store::isAwsManagedPolicyArn(arn)) {
    if (store::findAwsManagedPolicy(arn) == nullptr) return missing();
    return {};
  }
  if (account == nullptr) return missing();
  auto name = arn.substr(arn.rfind('/') + 1);
  auto it = account->policies.find(name);
  if (it == account->policies.end() || it->second.arn != arn) return missing();
  return {};
}

void setBoundary(store::Account& account, std::string& boundary_field, std::string_view arn) {
  if (boundary_field == arn) return;
  if (!boundary_field.empty()) {
    auto it = account.boundary_counts.find(boundary_field);
    if (it != account.boundary_counts.end() && --it->second <= 0) account.boundary_counts.erase(it);
  }
  boundary_field = arn;
  if (!boundary_field.empty()) ++account.boundary_counts[boundary_field];
}

std::size_t maxItems(const json& input) {
  if (auto it = input.find("MaxItems"); it != input.end() && it->is_number_integer()) {
    auto value = it->get<long long>();
    if (value > 0) return static_cast<std::size_t>(value);
  }
  return 100;
}

bool callerIsRoot(const Call& call) { return call.caller.type == auth::PrincipalType::Root; }

Result<std::string> callerUserName(const Call& call) {
  if (call.caller.type == auth::PrincipalType::User) return call.caller.name;
  return fail(ErrorCode::ValidationError, "Must specify userName when calling with non-User credentials");
}

void registerIdentityOperations(OperationTable& table, store::Store& store) {
  registerUserOperations(table, store);
  registerGroupOperations(table, store);
  registerRoleOperations(table, store);
  registerServiceLinkedRoleOperations(table, store);
  registerInstanceProfileOperations(table, store);
  registerAccessKeyOperations(table, store);
  registerAccountOperations(table, store);
  registerMfaOperations(table, store);
}

}  // namespace iamlocal::services::iam
