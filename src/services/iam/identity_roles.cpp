// IAM roles: CreateRole, GetRole, UpdateRole, UpdateRoleDescription,
// UpdateAssumeRolePolicy, DeleteRole, ListRoles, their tags and permissions
// boundaries.
#include <cctype>
#include <mutex>
#include <shared_mutex>

#include "iamlocal/core/ids.h"
#include "iamlocal/policy/validator.h"
#include "identity_common.h"
#include "shapes.h"
#include "tagging.h"

namespace iamlocal::services::iam {
namespace {

using store::Account;
using store::Role;

// IAM quota "Role trust policy length": 2048 characters, whitespace not
// counted (IAM and AWS STS quotas, IAM User Guide). AWS names the quota
// ACLSizePerRole in its LimitExceeded text.
constexpr std::size_t kAssumeRolePolicySizeQuota = 2048;

// For now a trust policy must be a JSON object; its grammar is checked by the
// policy engine once it exists.
Status checkTrustPolicy(const std::string& document) {
  json parsed = json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object())
    return fail(ErrorCode::MalformedPolicyDocument, "This policy contains invalid Json");
  std::size_t size = 0;
  for (unsigned char c : document)
    if (!std::isspace(c)) ++size;
  if (size > kAssumeRolePolicySizeQuota)
    return fail(ErrorCode::LimitExceeded,
                "Cannot exceed quota for ACLSizePerRole: " + std::to_string(kAssumeRolePolicySizeQuota));
  // The trust-policy grammar: a Principal, only the role-assuming STS
  // actions, no Resource.
  return policy::validatePolicyDocument(policy::PolicyKind::Trust, document);
}

Result<json> createRole(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "RoleName");
  const std::string path = inputString(input, "Path", "/");
  const std::string document = inputString(input, "AssumeRolePolicyDocument");
  const std::string boundary = inputString(input, "PermissionsBoundary");
  if (startsWith(path, kServiceLinkedRolePath))
    return fail(ErrorCode::InvalidInput, "Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles");
  IAMLOCAL_RETURN_IF_ERROR(checkTrustPolicy(document));

  Role role;
  if (auto tags = input.find("Tags"); tags != input.end())
    IAMLOCAL_RETURN_IF_ERROR(mergeTags(role.tags, *tags, "Role"));
  role.name = name;
  role.path = path;
  role.description = inputString(input, "Description");
  if (auto it = input.find("MaxSessionDuration"); it != input.end() && it->is_number_integer())
    role.max_session_duration = it->get<int>();
  role.create_date = call.now;

  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  if (account.roles.contains(name))
    return fail(ErrorCode::EntityAlreadyExists, "Role with name " + name + " already exists.");
  if (!boundary.empty()) IAMLOCAL_RETURN_IF_ERROR(checkBoundaryPolicy(&account, boundary));
  role.id = ids::uniqueId(ids::kRolePrefix);
  role.arn = entityArn(account.id, "role", path, name);
  role.trust_policy = store.internTrustPolicy(document);
  setBoundary(account, role.permissions_boundary_arn, boundary);
  json out = roleToJson(role);
  out.erase("RoleLastUsed");  // CreateRole's answer has no usage yet
  account.roles.emplace(name, std::move(role));
  return json{{"Role", std::move(out)}};
}

Result<json> getRole(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "RoleName");
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return fail(noSuchRole(name));
  auto it = account->roles.find(name);
  if (it == account->roles.end()) return fail(noSuchRole(name));
  json out;
  newObject(out).emplace("Role", roleToJson(it->second));
  return out;
}

// Runs `change` on the named role under the unique lock; `change` returns
// the operation's output.
template <typename Change>
Result<json> withRole(store::Store& store, const Call& call, const json& input, Change change) {
  const std::string name = inputString(input, "RoleName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto it = account.roles.find(name);
  if (it == account.roles.end()) return fail(noSuchRole(name));
  return change(account, it->second);
}

Result<json> deleteRole(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "RoleName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto it = account.roles.find(name);
  if (it == account.roles.end()) return fail(noSuchRole(name));
  const Role& role = it->second;
  if (isServiceLinkedRole(role)) return fail(protectedRole(role.name));
  // DeleteRole API reference: inline policies, attached managed policies and
  // instance profiles must be removed first.
  if (!role.inline_policies.empty())
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must delete policies first.");
  if (!role.attached_policy_arns.empty())
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must detach all policies first.");
  if (!role.instance_profile_names.empty())
    return fail(ErrorCode::DeleteConflict, "Cannot delete entity, must remove roles from instance profile first.");
  setBoundary(account, it->second.permissions_boundary_arn, {});
  account.roles.erase(it);
  return json::object();
}

Result<json> listRoles(store::Store& store, const Call& call, const json& input) {
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return json{{"Roles", json::array()}, {"IsTruncated", false}};
  // ListRoles omits PermissionsBoundary, RoleLastUsed and Tags (ListRoles
  // API reference). Pages are rendered straight to XML (addListedRole): a
  // json tree per role was half the cost of a 100-role page. Pagination as
  // paginate() in operations.h does it.
  IAMLOCAL_ASSIGN_OR_RETURN(auto roles, protocol::XmlListWriter::create(protocol::iamModel(), "ListRoles", "Roles"));
  std::size_t max_items = 100;
  if (auto it = input.find("MaxItems"); it != input.end() && it->is_number_integer())
    max_items = it->get<std::size_t>();
  const PathPrefix prefix(input);
  auto it = account->roles.begin();
  if (auto marker = input.find("Marker"); marker != input.end() && marker->is_string())
    it = account->roles.lower_bound(marker->get<std::string>());
  for (; it != account->roles.end(); ++it) {
    if (!prefix.matches(it->second.path)) continue;
    if (roles.size() == max_items) break;
    addListedRole(roles, it->second);
  }
  // Truncated only when a further kept role exists.
  while (it != account->roles.end() && !prefix.matches(it->second.path)) ++it;
  json out = json::object();
  out["Roles"] = std::move(roles).release();
  out["IsTruncated"] = it != account->roles.end();
  if (it != account->roles.end()) out["Marker"] = it->first;
  return out;
}

}  // namespace

void registerRoleOperations(OperationTable& table, store::Store& store) {
  auto bind = [&](std::string_view action, auto fn) {
    table.add("iam", action, [&store, fn](const Call& call, const json& input) { return fn(store, call, input); });
  };
  bind("CreateRole", createRole);
  bind("GetRole", getRole);
  bind("DeleteRole", deleteRole);
  bind("ListRoles", listRoles);
  registerTagOperations(table, store, accountMapTaggableKind<&Account::roles, noSuchRole>("Role", "RoleName"));
  bind("UpdateRole", [](store::Store& s, const Call& call, const json& input) {
    return withRole(s, call, input, [&](Account&, Role& role) -> Result<json> {
      if (auto it = input.find("Description"); it != input.end() && it->is_string())
        role.description = it->get<std::string>();
      if (auto it = input.find("MaxSessionDuration"); it != input.end() && it->is_number_integer())
        role.max_session_duration = it->get<int>();
      return json::object();
    });
  });
  bind("UpdateRoleDescription", [](store::Store& s, const Call& call, const json& input) {
    return withRole(s, call, input, [&](Account&, Role& role) -> Result<json> {
      role.description = inputString(input, "Description");
      return json{{"Role", roleToJson(role)}};
    });
  });
  bind("UpdateAssumeRolePolicy", [](store::Store& s, const Call& call, const json& input) {
    return withRole(s, call, input, [&](Account&, Role& role) -> Result<json> {
      if (isServiceLinkedRole(role)) return fail(protectedRole(role.name));
      std::string document = inputString(input, "PolicyDocument");
      IAMLOCAL_RETURN_IF_ERROR(checkTrustPolicy(document));
      role.trust_policy = s.internTrustPolicy(std::move(document));
      return json::object();
    });
  });
  bind("PutRolePermissionsBoundary", [](store::Store& s, const Call& call, const json& input) {
    return withRole(s, call, input, [&](Account& account, Role& role) -> Result<json> {
      if (isServiceLinkedRole(role)) return fail(protectedRole(role.name));
      const std::string arn = inputString(input, "PermissionsBoundary");
      IAMLOCAL_RETURN_IF_ERROR(checkBoundaryPolicy(&account, arn));
      setBoundary(account, role.permissions_boundary_arn, arn);
      return json::object();
    });
  });
  bind("DeleteRolePermissionsBoundary", [](store::Store& s, const Call& call, const json& input) {
    return withRole(s, call, input, [&](Account& account, Role& role) -> Result<json> {
      if (isServiceLinkedRole(role)) return fail(protectedRole(role.name));
      setBoundary(account, role.permissions_boundary_arn, {});
      return json::object();
    });
  });
}

}  // namespace iamlocal::services::iam
