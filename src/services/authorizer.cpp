// Request authorization: the request context AWS builds for a caller, the
// decision over the caller's policies, and AWS's denial texts.
//
// This runs on every request in enforce/soft mode, so the context is built
// into reused storage: keys, values and policy lists keep their capacity
// from one request to the next on each thread, and once warm a decision
// allocates nothing but the formatted time.
#include "iamlocal/services/authorizer.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <shared_mutex>

#include "iamlocal/core/ids.h"
#include "iamlocal/core/strings.h"
#include "iamlocal/services/authorization_message.h"
#include "iamlocal/services/principal_policies.h"
#include "iamlocal/services/query_endpoint.h"

namespace iamlocal::services {
namespace {

using policy::ContextEntry;
using policy::ContextKeyType;
using policy::Decision;
using policy::DecisionType;
using policy::PolicyLayer;
using policy::RequestContext;

// Condition keys are ASCII; the locale's tolower is needlessly slow here.
char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Writes context entries into `keys`, reusing the entries (and their
// strings' capacity) a previous request left there.
class KeyWriter {
 public:
  explicit KeyWriter(std::vector<ContextEntry>& keys) : keys_(keys) {}
  ~KeyWriter() { keys_.resize(used_); }

  // A new entry; the caller knows the key is not set yet. `lower_key` is
  // lower case already.
  ContextEntry& add(std::string_view lower_key, ContextKeyType type) {
    if (used_ == keys_.size()) keys_.emplace_back();
    ContextEntry& e = keys_[used_++];
    e.key.assign(lower_key);
    e.type = type;
    return e;
  }
  void add(std::string_view lower_key, std::string_view value, ContextKeyType type = ContextKeyType::String) {
    ContextEntry& e = add(lower_key, type);
    e.values.resize(1);
    e.values[0].assign(value);
  }
  // The entry for `key` (any case), set earlier or new, emptied.
  ContextEntry& upsert(std::string_view key, ContextKeyType type) {
    lowered_.resize(key.size());
    std::transform(key.begin(), key.end(), lowered_.begin(), asciiLower);
    for (std::size_t i = 0; i < used_; ++i) {
      if (keys_[i].key == lowered_) {
        keys_[i].type = type;
        keys_[i].values.clear();
        return keys_[i];
      }
    }
    ContextEntry& e = add(lowered_, type);
    e.values.clear();
    return e;
  }
  // aws:PrincipalTag/<key> or aws:ResourceTag/<key> = value, the later
  // write of a key winning (a session tag over its role's tag).
  void tag(std::string_view prefix, std::string_view key, std::string_view value) {
    scratch_.assign(prefix);
    scratch_.append(key);
    ContextEntry& e = upsert(scratch_, ContextKeyType::String);
    e.values.emplace_back(value);
  }

 private:
  std::vector<ContextEntry>& keys_;
  std::size_t used_ = 0;
  std::string scratch_, lowered_;
};

std::string_view principalTypeName(auth::PrincipalType type) {
  switch (type) {
    case auth::PrincipalType::Root: return "Account";
    case auth::PrincipalType::User: return "User";
    case auth::PrincipalType::AssumedRole: return "AssumedRole";
    case auth::PrincipalType::FederatedUser: return "FederatedUser";
  }
  return "Account";
}

template <typename Map>
auto findIn(const Map& map, std::string_view name) -> const typename Map::mapped_type* {
  auto it = map.find(name);
  return it == map.end() ? nullptr : &it->second;
}

// The tags of the store entity an IAM ARN names, or null: users, roles,
// customer managed policies, instance profiles and virtual MFA devices carry
// tags (groups do not). `user_or_role` says whether the entity is a user or
// a role, whose tags IAM also offers as iam:ResourceTag.
const store::TagList* resourceTags(const store::Store& store, std::string_view arn, bool& user_or_role) {
  user_or_role = false;
  constexpr std::string_view kIamPrefix = "arn:aws:iam::";
  if (!arn.starts_with(kIamPrefix)) return nullptr;
  std::string_view rest = arn.substr(kIamPrefix.size());
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) return nullptr;
  const store::Account* account = store.findAccount(rest.substr(0, colon));
  if (account == nullptr) return nullptr;
  rest.remove_prefix(colon + 1);
  const auto slash = rest.find('/');
  const auto last = rest.rfind('/');
  if (slash == std::string_view::npos || last + 1 == rest.size()) return nullptr;
  const std::string_view kind = rest.substr(0, slash);
  const std::string_view name = rest.substr(last + 1);
  // The name is unique in its kind; the path must agree too, as the ARN is
  // the entity's only when both do.
  auto same = [&](const auto* entity) { return entity != nullptr && entity->arn == arn; };
  user_or_role = kind == "user" || kind == "role";
  if (kind == "user") {
    const auto* e = findIn(account->users, name);
    return same(e) ? &e->tags : nullptr;
  }
  if (kind == "role") {
    const auto* e = findIn(account->roles, name);
    return same(e) ? &e->tags : nullptr;
  }
  if (kind == "policy") {
    const auto* e = findIn(account->policies, name);
    return same(e) ? &e->tags : nullptr;
  }
  if (kind == "instance-profile") {
    const auto* e = findIn(account->instance_profiles, name);
    return same(e) ? &e->tags : nullptr;
  }
  if (kind == "mfa") {
    const auto* e = findIn(account->mfa_devices, arn);
    return e != nullptr ? &e->tags : nullptr;
  }
  return nullptr;
}

// The ISO 8601 form of `t` ("2024-05-01T12:00:00Z") into `out`. Requests
// in the same second share the text: formatting it is most of the cost of
// a request context otherwise.
void formatTime(TimePoint t, std::string& out) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  thread_local std::chrono::sys_seconds cached_at{std::chrono::seconds(-1)};
  thread_local char cached[20];
  if (secs != cached_at) {
    const auto days = std::chrono::floor<std::chrono::days>(secs);
    const std::chrono::year_month_day ymd{days};
    const std::chrono::hh_mm_ss hms{secs - days};
    auto put = [](char* at, unsigned value, int width) {
      for (int i = width - 1; i >= 0; --i, value /= 10) at[i] = static_cast<char>('0' + value % 10);
    };
    put(cached, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
    cached[4] = '-';
    put(cached + 5, static_cast<unsigned>(ymd.month()), 2);
    cached[7] = '-';
    put(cached + 8, static_cast<unsigned>(ymd.day()), 2);
    cached[10] = 'T';
    put(cached + 11, static_cast<unsigned>(hms.hours().count()), 2);
    cached[13] = ':';
    put(cached + 14, static_cast<unsigned>(hms.minutes().count()), 2);
    cached[16] = ':';
    put(cached + 17, static_cast<unsigned>(hms.seconds().count()), 2);
    cached[19] = 'Z';
    cached_at = secs;
  }
  out.assign(cached, sizeof(cached));
}

std::string callerPrefix(const Call& call, const AccessCheck& check) {
  std::string s;
  s.reserve(96 + call.caller.arn.size() + check.action.size() + check.resource.size());
  s.append("User: ").append(call.caller.arn).append(" is not authorized to perform: ").append(check.action);
  s.append(" on resource: ").append(check.resource);
  return s;
}

}  // namespace

void fillRequestContext(const store::Store& store, const Call& call, const AccessCheck& check, RequestContext& out) {
  const auth::Principal& caller = call.caller;
  out.action.assign(check.action);
  out.resource.assign(check.resource);
  out.principal_arn.assign(caller.arn);
  out.principal_account.assign(caller.account_id);
  out.role_arn.clear();
  out.principal_is_root = caller.type == auth::PrincipalType::Root;
  out.principal_service.clear();
  out.federated_provider.clear();
  out.resource_account.clear();
  out.now = call.now;

  // Temporary credentials: the session carries the role, its tags and the
  // MFA state. Long-term keys (and the configured roots') have none.
  std::shared_ptr<const store::Session> session;
  if (caller.access_key_id.starts_with("ASIA")) session = store.findSession(caller.access_key_id);
  const store::Account* account = store.findAccount(caller.account_id);

  {
  KeyWriter w(out.keys);
  {
    ContextEntry& e = w.add("aws:currenttime", ContextKeyType::Date);
    e.values.resize(1);
    formatTime(call.now, e.values[0]);
  }
  {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(call.now.time_since_epoch()).count();
    ContextEntry& e = w.add("aws:epochtime", ContextKeyType::Date);
    e.values.resize(1);
    e.values[0] = std::to_string(secs);
  }
  w.add("aws:principalarn", caller.arn);
  w.add("aws:principalaccount", caller.account_id);
  w.add("aws:principaltype", principalTypeName(caller.type));
  if (!caller.user_id.empty()) w.add("aws:userid", caller.user_id);
  if (caller.type == auth::PrincipalType::User) w.add("aws:username", caller.name);
  if (!call.source_ip.empty()) w.add("aws:sourceip", call.source_ip, ContextKeyType::Ip);
  // iamlocal serves plain HTTP.
  w.add("aws:securetransport", "false", ContextKeyType::Boolean);
  if (!call.region.empty()) w.add("aws:requestedregion", call.region);

  // aws:PrincipalTag/*: the user's or role's tags, then the session's own,
  // which override the role's of the same key.
  constexpr std::string_view kPrincipalTag = "aws:principaltag/";
  if (account != nullptr) {
    if (caller.type == auth::PrincipalType::User) {
      std::string_view user_name = caller.name;
      if (session != nullptr && !session->source_user_name.empty()) user_name = session->source_user_name;
      if (const store::User* user = findIn(account->users, user_name))
        for (const auto& t : user->tags) w.tag(kPrincipalTag, t.key, t.value);
    } else if (caller.type == auth::PrincipalType::AssumedRole) {
      std::string_view role_name = session != nullptr && !session->role_name.empty() ? std::string_view(session->role_name)
                                                                                      : std::string_view(caller.name);
      if (const store::Role* role = findIn(account->roles, role_name)) {
        for (const auto& t : role->tags) w.tag(kPrincipalTag, t.key, t.value);
        out.role_arn.assign(role->arn);
      }
    }
  }
  if (session != nullptr) {
    if (caller.type == auth::PrincipalType::AssumedRole && !session->role_arn.empty())
      out.role_arn.assign(session->role_arn);
    for (const auto& t : session->tags) w.tag(kPrincipalTag, t.key, t.value);
    // Present for every request signed with temporary credentials, absent
    // for long-term keys ("AWS global condition context keys").
    w.add("aws:multifactorauthpresent", session->mfa_authenticated ? "true" : "false", ContextKeyType::Boolean);
    if (session->issued_at != TimePoint{}) {
      ContextEntry& e = w.add("aws:tokenissuetime", ContextKeyType::Date);
      e.values.resize(1);
      formatTime(session->issued_at, e.values[0]);
      if (session->mfa_authenticated) {
        const auto age = std::chrono::duration_cast<std::chrono::seconds>(call.now - session->issued_at).count();
        ContextEntry& m = w.add("aws:multifactorauthage", ContextKeyType::Numeric);
        m.values.resize(1);
        m.values[0] = std::to_string(std::max<long long>(age, 0));
      }
    }
    if (!session->source_identity.empty()) w.add("aws:sourceidentity", session->source_identity);
  }

  // Users and roles also answer to IAM's own iam:ResourceTag (their
  // resource types list both keys in the Service Authorization Reference).
  bool user_or_role = false;
  if (const store::TagList* tags = resourceTags(store, check.resource, user_or_role)) {
    for (const auto& t : *tags) {
      w.tag("aws:resourcetag/", t.key, t.value);
      if (user_or_role) w.tag("iam:resourcetag/", t.key, t.value);
    }
  }

  // The operation's own keys (aws:RequestTag/*, iam:PassedToService, ...).
  for (const auto& entry : check.context) {
    ContextEntry& e = w.upsert(entry.key, entry.type);
    e.values.assign(entry.values.begin(), entry.values.end());
  }
  }  // the writer trims the keys a previous request left beyond these
  out.finalize();
}

void decideAccess(const store::Store& store, const Call& call, const AccessCheck& check, Decision& out,
                  const policy::CompiledPolicy* resource_policy, std::string_view resource_account) {
  thread_local RequestContext context;
  thread_local policy::PolicySet policies;
  fillRequestContext(store, call, check, context);
  context.resource_account.assign(resource_account);
  policies.identity.clear();
  policies.resource.clear();
  policies.boundary.clear();
  policies.session.clear();
  policies.boundary_present = false;
  policies.session_present = false;
  collectCallerPolicies(store, call.caller, policies);
  if (resource_policy != nullptr) policies.resource.push_back(resource_policy);
  policy::evaluate(policies, context, out);
}

Decision decideAccess(const store::Store& store, const Call& call, const AccessCheck& check,
                      const policy::CompiledPolicy* resource_policy, std::string_view resource_account) {
  Decision d;
  decideAccess(store, call, check, d, resource_policy, resource_account);
  return d;
}

std::string denialReason(const AccessCheck& check, const Decision& decision) {
  // AWS's phrases ("Troubleshoot access denied error messages"): an explicit
  // deny names the policy type that denied, an implicit one the type that
  // lacked an allow.
  if (decision.type == DecisionType::ExplicitDeny) {
    switch (decision.layer) {
      case PolicyLayer::Identity: return "with an explicit deny in an identity-based policy";
      case PolicyLayer::Resource: return "with an explicit deny in a resource-based policy";
      case PolicyLayer::PermissionsBoundary: return "with an explicit deny in a permissions boundary";
      case PolicyLayer::Session: return "with an explicit deny in a session policy";
    }
  }
  std::string_view kind = "identity-based policy";
  switch (decision.layer) {
    case PolicyLayer::Identity: kind = "identity-based policy"; break;
    case PolicyLayer::Resource: kind = "resource-based policy"; break;
    case PolicyLayer::PermissionsBoundary: kind = "permissions boundary"; break;
    case PolicyLayer::Session: kind = "session policy"; break;
  }
  std::string s = "because no ";
  s.append(kind).append(" allows the ").append(check.action).append(" action");
  return s;
}

Error accessDenied(const Call& call, const AccessCheck& check, const Decision& decision) {
  std::string message = callerPrefix(call, check);
  message.append(" ").append(denialReason(check, decision));
  return makeError(ErrorCode::AccessDenied, std::move(message));
}

Error unauthorizedOperation(const store::Store& store, const Call& call, const AccessCheck& check,
                            const Decision& decision) {
  AuthorizationFailure failure;
  failure.allowed = false;
  failure.explicit_deny = decision.type == DecisionType::ExplicitDeny;
  failure.principal_id = call.caller.user_id;
  failure.principal_name = call.caller.name;
  failure.principal_arn = call.caller.arn;
  failure.action = check.action;
  failure.resource = check.resource;
  RequestContext context;
  fillRequestContext(store, call, check, context);
  for (const auto& k : context.keys) failure.conditions.emplace_back(k.key, k.values);
  if (failure.explicit_deny)
    for (const auto& m : decision.matched)
      if (!m.allow && m.policy != nullptr) failure.matched_statements.push_back(m.policy->id());
  std::string message = "You are not authorized to perform this operation. ";
  message.append(callerPrefix(call, check)).append(" ").append(denialReason(check, decision));
  message.append(". Encoded authorization failure message: ").append(encodeAuthorizationMessage(failure));
  return makeError(ErrorCode::UnauthorizedOperation, std::move(message));
}

std::optional<Error> temporaryCredentialRefusal(const store::Store& store, const auth::Principal& caller,
                                                std::string_view service, std::string_view action,
                                                bool credentials_verified) {
  // Long-term keys, and role sessions (whose own limits, no GetSessionToken
  // and no GetFederationToken, their handlers enforce) are not limited here;
  // neither is EC2, nor GetCallerIdentity, which every credential may call.
  if (!caller.access_key_id.starts_with(ids::kTemporaryAccessKeyPrefix)) return std::nullopt;
  if (caller.type == auth::PrincipalType::AssumedRole) return std::nullopt;
  if (service != "iam" && service != "sts") return std::nullopt;
  // The federation operations AWS serves unsigned take their identity from
  // the request's token or assertion, not from the credentials that signed.
  if (service == "sts" && (action == "GetCallerIdentity" || allowsUnsignedRequests(service, action)))
    return std::nullopt;

  // A federated user's credentials can only be GetFederationToken's; a user's
  // or the root's temporary ones are GetSessionToken's, or (the root's)
  // AssumeRoot's, which the session tells apart, with its MFA state.
  using IssuedBy = store::Session::IssuedBy;
  IssuedBy issued_by = IssuedBy::GetFederationToken;
  bool mfa_authenticated = false;
  if (caller.type != auth::PrincipalType::FederatedUser) {
    auto session = store.findSession(caller.access_key_id);
    if (session == nullptr) return std::nullopt;
    issued_by = session->issued_by;
    mfa_authenticated = session->mfa_authenticated;
  }
  if (issued_by != IssuedBy::GetSessionToken && issued_by != IssuedBy::GetFederationToken) return std::nullopt;

  if (service == "iam") {
    // IAM answers as for a token it does not know, not AccessDenied: the
    // token is not valid for IAM (aws/aws-sdk-js#460, 99designs/aws-vault#455,
    // jantman/awslimitchecker#139 for federation tokens). Accept mode judges
    // no token, so it does not judge this one either.
    if (!credentials_verified) return std::nullopt;
    if (issued_by == IssuedBy::GetSessionToken && mfa_authenticated) return std::nullopt;
    return makeError(ErrorCode::InvalidClientTokenId, "The security token included in the request is invalid.");
  }
  // STS: AWS's text for GetSessionToken and GetFederationToken called with
  // session credentials (hashicorp/vault#4108, aws/aws-sdk-net#1704), said of
  // every other operation these credentials may not call. It depends only on
  // who the caller is, which accept mode knows too, as the handlers' own
  // refusals of session credentials do.
  if (issued_by == IssuedBy::GetSessionToken && action == "AssumeRole") return std::nullopt;
  return makeError(ErrorCode::AccessDenied, "Cannot call " + std::string(action) + " with session credentials");
}

std::optional<Error> authorizeChecks(const store::Store& store, const Call& call, std::span<const AccessCheck> checks) {
  if (checks.empty()) return std::nullopt;
  thread_local Decision decision;
  std::shared_lock lock(store.mutex());
  for (const AccessCheck& check : checks) {
    decideAccess(store, call, check, decision);
    if (decision.allowed()) continue;
    if (call.service == "ec2") return unauthorizedOperation(store, call, check, decision);
    return accessDenied(call, check, decision);
  }
  return std::nullopt;
}

}  // namespace iamlocal::services
