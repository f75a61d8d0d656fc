// Gathering a principal's policies from the store for the policy engine.
// Everything here only borrows: the compiled policies stay owned by the
// store (or, for AWS managed ones, by the process-wide catalogue).
#include "iamlocal/services/principal_policies.h"

#include <algorithm>
#include <string>

#include "iam/identity_common.h"
#include "iamlocal/store/aws_managed_policies.h"

namespace iamlocal::services {
namespace {

using policy::CompiledPolicy;
using policy::PolicySet;

void addCompiled(std::vector<const CompiledPolicy*>& layer, const CompiledPolicy* policy) {
  if (policy != nullptr) layer.push_back(policy);
}

void addInline(std::vector<const CompiledPolicy*>& layer, const store::ByName<store::StoredPolicy>& policies) {
  // A stored text that is not JSON has no compiled form; the write paths
  // validate documents, so that only happens to state imported unchecked.
  for (const auto& [name, stored] : policies) addCompiled(layer, stored.compiled.get());
}

// The compiled default version of the managed policy `arn`: an AWS managed
// one from the catalogue, a customer managed one of `account`.
const CompiledPolicy* managedPolicy(const store::Account* account, std::string_view arn) {
  if (store::isAwsManagedPolicyArn(arn)) {
    const store::AwsManagedPolicy* aws = store::findAwsManagedPolicy(arn);
    return aws != nullptr ? &store::compiledAwsManagedPolicy(*aws) : nullptr;
  }
  if (account == nullptr) return nullptr;
  const auto slash = arn.rfind('/');
  if (slash == std::string_view::npos) return nullptr;
  auto it = account->policies.find(arn.substr(slash + 1));
  if (it == account->policies.end() || it->second.arn != arn) return nullptr;
  const store::ManagedPolicy& managed = it->second;
  for (const auto& version : managed.versions)
    if (version.version_id == managed.default_version_id) return version.compiled.get();
  return nullptr;
}

void addAttached(std::vector<const CompiledPolicy*>& layer, const store::Account* account,
                 const std::vector<std::string>& arns) {
  for (const auto& arn : arns) addCompiled(layer, managedPolicy(account, arn));
}

// A boundary is present as soon as the entity names one: a boundary policy
// that cannot be resolved then allows nothing, rather than lifting the limit.
void addBoundary(PolicySet& out, const store::Account* account, const std::string& boundary_arn) {
  if (boundary_arn.empty()) return;
  out.boundary_present = true;
  addCompiled(out.boundary, managedPolicy(account, boundary_arn));
}

void addGroup(PolicySet& out, const store::Account* account, const store::Group& group) {
  addInline(out.identity, group.inline_policies);
  addAttached(out.identity, account, group.attached_policy_arns);
}

// A user's own policies, those of its groups, and its boundary.
void addUser(PolicySet& out, const store::Account* account, const store::User& user) {
  addInline(out.identity, user.inline_policies);
  addAttached(out.identity, account, user.attached_policy_arns);
  for (const auto& group_name : user.group_names) {
    auto it = account->groups.find(group_name);
    if (it != account->groups.end()) addGroup(out, account, it->second);
  }
  addBoundary(out, account, user.permissions_boundary_arn);
}

void addRole(PolicySet& out, const store::Account* account, const store::Role& role) {
  addInline(out.identity, role.inline_policies);
  addAttached(out.identity, account, role.attached_policy_arns);
  addBoundary(out, account, role.permissions_boundary_arn);
}

void addSessionPolicies(PolicySet& out, const store::Session& session) {
  out.session_present = true;
  for (const auto& p : session.session_policies) addCompiled(out.session, p.get());
}

// The account root's permissions written as an identity policy: everything.
// Compiled once, on first use; a text that failed to compile would allow
// nothing rather than everything.
const CompiledPolicy* rootPermissions() {
  static const CompiledPolicy policy = [] {
    auto compiled = policy::compilePolicy(
        std::string_view(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"),
        "root");
    return compiled ? std::move(*compiled) : CompiledPolicy();
  }();
  return &policy;
}

const store::User* findUser(const store::Account* account, std::string_view name) {
  if (account == nullptr || name.empty()) return nullptr;
  auto it = account->users.find(name);
  return it == account->users.end() ? nullptr : &it->second;
}

}  // namespace

void collectCallerPolicies(const store::Store& store, const auth::Principal& principal, policy::PolicySet& out) {
  out.identity.clear();
  out.boundary.clear();
  out.boundary_present = false;
  out.session.clear();
  out.session_present = false;

  const store::Account* account = store.findAccount(principal.account_id);
  const std::shared_ptr<const store::Session> session =
      principal.access_key_id.empty() ? nullptr : store.findSession(principal.access_key_id);

  switch (principal.type) {
    case auth::PrincipalType::Root:
      // Not limited by identity policies (it has none); a session that
      // carries policies (AssumeRoot's task policy) is limited by them.
      if (session != nullptr && session->has_session_policies) addSessionPolicies(out, *session);
      return;

    case auth::PrincipalType::User: {
      // A long-term key, or a GetSessionToken session of the user: the
      // user's own policies either way.
      std::string_view name = principal.name;
      if (session != nullptr && !session->source_user_name.empty()) name = session->source_user_name;
      if (const store::User* user = findUser(account, name)) addUser(out, account, *user);
      if (session != nullptr && session->has_session_policies) addSessionPolicies(out, *session);
      return;
    }

    case auth::PrincipalType::AssumedRole: {
      std::string_view role_name = principal.name;
      if (session != nullptr && !session->role_name.empty()) role_name = session->role_name;
      if (account != nullptr) {
        auto it = account->roles.find(role_name);
        if (it != account->roles.end()) addRole(out, account, it->second);
      }
      if (session != nullptr && session->has_session_policies) addSessionPolicies(out, *session);
      return;
    }

    case auth::PrincipalType::FederatedUser: {
      // GetFederationToken: the permissions are the intersection of the
      // source user's policies and the session's; without session policies
      // the federated user may do nothing, so the layer is always present.
      out.session_present = true;
      if (session == nullptr) return;
      if (session->source_user_name.empty()) {
        // Made by the account root (only users and the root may call
        // GetFederationToken): the root's permissions, everything, are
        // intersected with the session's ("Permissions for
        // GetFederationToken": AWS recommends against it but allows it).
        out.identity.push_back(rootPermissions());
      } else if (const store::User* user = findUser(account, session->source_user_name)) {
        addUser(out, account, *user);
      }
      for (const auto& p : session->session_policies) addCompiled(out.session, p.get());
      return;
    }
  }
}

Status collectEntityPolicies(const store::Store& store, std::string_view arn, policy::PolicySet& out) {
  out.identity.clear();
  out.boundary.clear();
  out.boundary_present = false;
  out.session.clear();
  out.session_present = false;

  // arn:aws:iam::ACCOUNT:{user|group|role}/path/name
  const auto invalid = [&] {
    return fail(ErrorCode::InvalidInput, "Invalid ARN: " + std::string(arn) +
                                             " does not name an IAM user, group or role.");
  };
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  if (!arn.starts_with(kPrefix)) return invalid();
  std::string_view rest = arn.substr(kPrefix.size());
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) return invalid();
  const std::string_view account_id = rest.substr(0, colon);
  const std::string_view resource = rest.substr(colon + 1);
  const auto type_end = resource.find('/');
  const auto slash = resource.rfind('/');
  if (account_id.empty() || type_end == std::string_view::npos || slash + 1 >= resource.size()) return invalid();
  const std::string_view type = resource.substr(0, type_end);
  const std::string_view name = resource.substr(slash + 1);

  const store::Account* account = store.findAccount(account_id);
  if (type == "user") {
    const store::User* user = findUser(account, name);
    if (user == nullptr) return fail(iam::noSuchUser(name));
    addUser(out, account, *user);
    return {};
  }
  if (type == "group") {
    if (account != nullptr)
      if (auto it = account->groups.find(name); it != account->groups.end()) {
        addGroup(out, account, it->second);
        return {};
      }
    return fail(iam::noSuchGroup(name));
  }
  if (type == "role") {
    if (account != nullptr)
      if (auto it = account->roles.find(name); it != account->roles.end()) {
        addRole(out, account, it->second);
        return {};
      }
    return fail(iam::noSuchRole(name));
  }
  return invalid();
}

}  // namespace iamlocal::services
