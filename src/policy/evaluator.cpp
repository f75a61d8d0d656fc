// Request evaluation. Two pure stages: every statement of every layer is
// matched against the request (action, resource, principal, conditions),
// then one table combines what matched into the decision.
#include "iamlocal/policy/evaluator.h"

#include <algorithm>
#include <cstring>

#include "compiled.h"
#include "iamlocal/core/strings.h"

namespace iamlocal::policy {

// ------------------------------------------------------------ RequestContext

RequestContext& RequestContext::set(std::string_view key, std::string value, ContextKeyType type) {
  return set(key, std::vector<std::string>{std::move(value)}, type);
}

RequestContext& RequestContext::set(std::string_view key, std::vector<std::string> values, ContextKeyType type) {
  std::string lower = toLower(key);
  for (auto& e : keys)
    if (e.key == lower) {
      e.type = type;
      e.values = std::move(values);
      return *this;
    }
  keys.push_back(ContextEntry{std::move(lower), type, std::move(values)});
  return *this;
}

const ContextEntry* RequestContext::find(std::string_view lower_key) const {
  for (const auto& e : keys)
    if (e.key.size() == lower_key.size() && e.key == lower_key) return &e;
  return nullptr;
}

void RequestContext::finalize() {
  if (find("aws:currenttime") == nullptr) set("aws:CurrentTime", formatIso8601(now), ContextKeyType::Date);
  if (find("aws:epochtime") == nullptr) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    set("aws:EpochTime", std::to_string(secs), ContextKeyType::Date);
  }
  if (!principal_arn.empty() && find("aws:principalarn") == nullptr) set("aws:PrincipalArn", principal_arn);
  if (!principal_account.empty() && find("aws:principalaccount") == nullptr)
    set("aws:PrincipalAccount", principal_account);
}

std::string_view layerName(PolicyLayer layer) {
  switch (layer) {
    case PolicyLayer::Identity: return "identity";
    case PolicyLayer::Resource: return "resource";
    case PolicyLayer::PermissionsBoundary: return "permissions boundary";
    case PolicyLayer::Session: return "session";
  }
  return "identity";
}

std::string_view decisionName(DecisionType type) {
  switch (type) {
    case DecisionType::Allowed: return "allowed";
    case DecisionType::ExplicitDeny: return "explicitDeny";
    case DecisionType::ImplicitDeny: return "implicitDeny";
  }
  return "implicitDeny";
}

namespace {

void addOnce(std::vector<std::string_view>& list, std::string_view s) {
  if (std::find(list.begin(), list.end(), s) == list.end()) list.push_back(s);
}

// ------------------------------------------------------------ conditions

// Equality of a variable-bearing string value (no wildcards) with `text`.
bool resolvedEquals(const Pattern& p, std::string_view text, bool fold, const ContextLookup& keys,
                    std::vector<std::string_view>* missing) {
  if (p.shape == Pattern::Exact) return fold ? equalsIgnoreCase(p.text, text) : p.text == text;
  std::size_t at = 0;
  for (const auto& t : p.tokens) {
    std::string_view part = t.text;
    if (t.kind == PatternToken::Variable) {
      auto v = resolveVariable(t, keys);
      if (!v) {
        if (missing != nullptr) addOnce(*missing, t.written);
        return false;
      }
      part = *v;
    }
    if (text.size() - at < part.size()) return false;
    const std::string_view here = text.substr(at, part.size());
    if (fold ? !equalsIgnoreCase(here, part) : here != part) return false;
    at += part.size();
  }
  return at == text.size();
}

template <typename T>
bool compare(Comparison c, T request_value, T policy_value) {
  switch (c) {
    case Comparison::Equals:
    case Comparison::Like: return request_value == policy_value;
    case Comparison::LessThan: return request_value < policy_value;
    case Comparison::LessThanEquals: return request_value <= policy_value;
    case Comparison::GreaterThan: return request_value > policy_value;
    case Comparison::GreaterThanEquals: return request_value >= policy_value;
  }
  return false;
}

// Does one request value match any of the condition's values (the positive
// form of the operator)? Values are ORed.
bool anyValueMatches(const CompiledCondition& c, std::string_view value, const ContextLookup& keys,
                     std::vector<std::string_view>* missing) {
  switch (c.op.family) {
    case OperatorFamily::String:
    case OperatorFamily::StringIgnoreCase: {
      const bool fold = c.op.family == OperatorFamily::StringIgnoreCase;
      for (const auto& v : c.values)
        if (resolvedEquals(v.pattern, value, fold, keys, missing)) return true;
      return false;
    }
    case OperatorFamily::StringLike:
    case OperatorFamily::Arn: {
      const bool arn = c.op.family == OperatorFamily::Arn;
      for (const auto& v : c.values)
        if (matchPattern(v.pattern, value, keys, missing, arn)) return true;
      return false;
    }
    case OperatorFamily::Binary:
      for (const auto& v : c.values)
        if (v.pattern.text == value) return true;
      return false;
    case OperatorFamily::Numeric: {
      double n;
      if (!parsePolicyNumber(value, n)) return false;
      for (const auto& v : c.values)
        if (v.valid && compare(c.op.comparison, n, v.number)) return true;
      return false;
    }
    case OperatorFamily::Date: {
      std::int64_t ms;
      if (!parsePolicyDate(value, ms)) return false;
      for (const auto& v : c.values)
        if (v.valid && compare(c.op.comparison, ms, v.date_millis)) return true;
      return false;
    }
    case OperatorFamily::Bool: {
      const bool is_true = iequals(value, "true");
      if (!is_true && !iequals(value, "false")) return false;
      for (const auto& v : c.values)
        if (v.valid && v.boolean == is_true) return true;
      return false;
    }
    case OperatorFamily::Ip: {
      IpNetwork address;
      if (!parseIpNetwork(value, address)) return false;
      for (const auto& v : c.values)
        if (v.valid && ipInNetwork(address, v.network)) return true;
      return false;
    }
    case OperatorFamily::Null:
      return false;  // handled by the caller
  }
  return false;
}

// One operator/key pair of a Condition block.
bool conditionHolds(const CompiledCondition& c, const ContextLookup& keys, std::vector<std::string_view>& missing) {
  const ContextEntry* entry = keys.find(c.key, c.key_hash);
  if (c.op.family == OperatorFamily::Null) {
    // {"Null": {"k": "true"}} holds when k is absent, "false" when present.
    const bool absent = entry == nullptr;
    for (const auto& v : c.values)
      if (v.valid && v.boolean == absent) return true;
    return false;
  }
  if (entry == nullptr) {
    // Absent key ("Condition operators", "Condition keys not present"):
    // ...IfExists holds; ForAllValues holds (the empty set); ForAnyValue
    // fails; otherwise a positive operator fails and a negated one holds.
    if (c.op.if_exists) return true;
    addOnce(missing, c.written);
    if (c.op.qualifier == SetQualifier::ForAllValues) return true;
    if (c.op.qualifier == SetQualifier::ForAnyValue) return false;
    return c.op.negated;
  }
  auto perValue = [&](std::string_view value) {
    const bool m = anyValueMatches(c, value, keys, &missing);
    return c.op.negated ? !m : m;
  };
  switch (c.op.qualifier) {
    case SetQualifier::ForAllValues:
      // Every request value must satisfy the operator; an empty set does.
      return std::all_of(entry->values.begin(), entry->values.end(), perValue);
    case SetQualifier::ForAnyValue:
      return std::any_of(entry->values.begin(), entry->values.end(), perValue);
    case SetQualifier::None: {
      // A negated operator is the negation of its positive form over all
      // of the key's values: StringNotEquals holds when no value equals.
      bool any = false;
      for (const auto& value : entry->values)
        if (anyValueMatches(c, value, keys, &missing)) {
          any = true;
          break;
        }
      return c.op.negated ? !any : any;
    }
  }
  return false;
}

// ------------------------------------------------------------ principals

bool isSessionArn(std::string_view arn) {
  return arn.starts_with("arn:aws:sts::") &&
         (arn.find(":assumed-role/") != std::string_view::npos || arn.find(":federated-user/") != std::string_view::npos);
}

bool isRootArnOf(std::string_view arn, std::string_view account) {
  // arn:aws:iam::ACCOUNT:root
  return arn.size() == 13 + account.size() + 5 && arn.starts_with("arn:aws:iam::") &&
         arn.substr(13, account.size()) == account && arn.ends_with(":root");
}

// The most direct way `p` names the caller.
PrincipalMatch bestMatch(const CompiledPrincipal& p, const RequestContext& r) {
  if (!r.principal_service.empty() || !r.federated_provider.empty()) {
    for (const auto& s : p.services)
      if (s == r.principal_service) return PrincipalMatch::External;
    for (const auto& f : p.federated)
      if (f == r.federated_provider) return PrincipalMatch::External;
    return p.everyone ? PrincipalMatch::Everyone : PrincipalMatch::None;
  }
  PrincipalMatch best = PrincipalMatch::None;
  auto better = [&](PrincipalMatch m) {
    if (static_cast<int>(m) > static_cast<int>(best)) best = m;
  };
  if (p.everyone) better(PrincipalMatch::Everyone);
  for (const auto& arn : p.aws) {
    if (!r.principal_arn.empty() && arn == r.principal_arn) {
      if (r.principal_is_root)
        better(PrincipalMatch::Account);
      else
        better(isSessionArn(arn) ? PrincipalMatch::Session : PrincipalMatch::User);
    } else if (!r.role_arn.empty() && arn == r.role_arn) {
      better(PrincipalMatch::Role);
    } else if (isRootArnOf(arn, r.principal_account)) {
      better(PrincipalMatch::Account);
    }
  }
  return best;
}

// NotPrincipal: the statement applies to everyone except a caller all of
// whose identities are listed (the documented advice is to list the
// session, its role and its account together).
bool excludedByNotPrincipal(const CompiledPrincipal& p, const RequestContext& r) {
  if (p.everyone) return true;
  auto listed = [&](std::string_view arn) { return std::find(p.aws.begin(), p.aws.end(), arn) != p.aws.end(); };
  if (!r.principal_service.empty())
    return std::find(p.services.begin(), p.services.end(), r.principal_service) != p.services.end();
  if (!r.federated_provider.empty())
    return std::find(p.federated.begin(), p.federated.end(), r.federated_provider) != p.federated.end();
  if (!r.principal_arn.empty() && !listed(r.principal_arn)) return false;
  if (!r.role_arn.empty() && !listed(r.role_arn)) return false;
  const bool account_listed = std::any_of(p.aws.begin(), p.aws.end(), [&](const std::string& a) {
    return isRootArnOf(a, r.principal_account);
  });
  return account_listed || r.principal_is_root;
}

// ------------------------------------------------------------ statements

struct LayerResult {
  bool allow = false;
  bool deny = false;
};

// Index-based action matching handles policies of up to this many
// statements (a bitset on the stack) and action names up to kMaxActionName
// characters; beyond either, statements are matched one by one.
constexpr std::size_t kMaxIndexedStatements = 4096;
constexpr std::size_t kMaxActionName = 255;
// Memo slots beyond this many in one policy are not memoized.
constexpr std::size_t kMaxMemoSlots = 1024;

// Evaluates `compute` once per memo slot and policy; slot 0 means "not
// memoized".
template <typename Compute>
bool memoized(std::uint8_t* memo, std::uint32_t memo_slots, std::uint32_t slot, Compute compute) {
  if (slot == 0 || slot > memo_slots) return compute();
  std::uint8_t& state = memo[slot - 1];
  if (state == 0) state = compute() ? 2 : 1;
  return state == 2;
}

struct Scan {
  Scan(const RequestContext& r, std::string_view a, Decision& d) : request(r), keys(r), action(a), out(d) {
    const auto colon = a.find(':');
    service = a.substr(0, colon);
    if (colon != std::string_view::npos) {
      name = a.substr(colon + 1);
      for (char c : service) service_hash = actionHashStep(service_hash, c);
      indexed = name.size() <= kMaxActionName;
      if (indexed) {
        // The hashes of every prefix of the action name, for the probes.
        name_hashes[0] = kActionHashSeed;
        for (std::size_t i = 0; i < name.size(); ++i) name_hashes[i + 1] = actionHashStep(name_hashes[i], name[i]);
      }
    }
  }
  const RequestContext& request;
  ContextLookup keys;
  std::string_view action;   // lower case
  std::string_view service;  // its service prefix
  std::string_view name;     // what follows the service's ':'
  std::uint64_t service_hash = kActionHashSeed;
  bool indexed = false;      // the action index can be used (else: statement by statement)
  std::uint64_t name_hashes[kMaxActionName + 1];
  std::uint64_t matched[kMaxIndexedStatements / 64];
  // Outcomes of the current policy's memoized patterns and conditions
  // (ActionIndex::memo_slots): 0 not yet evaluated, 1 false, 2 true.
  std::uint8_t memo[kMaxMemoSlots];
  std::uint32_t memo_slots = 0;  // of the current policy, at most kMaxMemoSlots
  Decision& out;
  bool explicit_deny = false;
  PolicyLayer deny_layer = PolicyLayer::Identity;
  LayerResult identity, boundary, session;
  // Resource-policy allows, by how they named the caller.
  bool resource_allow[7] = {};
};

bool actionMatches(const CompiledStatement& st, std::string_view action, const ContextLookup& keys) {
  bool any = false;
  for (const auto& p : st.actions)
    if (matchPattern(p, action, keys, nullptr)) {
      any = true;
      break;
    }
  return st.not_action ? !any : any;
}

bool resourceMatches(Scan& scan, const CompiledStatement& st) {
  if (!st.has_resource) return true;  // trust policies: the role itself
  bool any = false;
  for (std::size_t i = 0; i < st.resources.size(); ++i) {
    const auto compute = [&] {
      return matchPattern(st.resources[i], scan.request.resource, scan.keys, &scan.out.missing_context_keys);
    };
    if (memoized(scan.memo, scan.memo_slots, st.resource_memo[i], compute)) {
      any = true;
      break;
    }
  }
  return st.not_resource ? !any : any;
}

// Everything but the action: the caller has checked it.
void scanStatement(Scan& scan, const CompiledPolicy& policy, const CompiledStatement& st, PolicyLayer layer) {
  const RequestContext& request = scan.request;
  if (!resourceMatches(scan, st)) return;
  PrincipalMatch how = PrincipalMatch::Everyone;
  if (layer == PolicyLayer::Resource) {
    if (st.not_principal) {
      if (excludedByNotPrincipal(st.principal, request)) return;
    } else {
      how = bestMatch(st.principal, request);
      if (how == PrincipalMatch::None) return;
    }
  }
  bool holds = true;
  for (const auto& c : st.conditions)
    if (!memoized(scan.memo, scan.memo_slots, c.memo,
                  [&] { return conditionHolds(c, scan.keys, scan.out.missing_context_keys); })) {
      holds = false;
      break;
    }
  if (!st.not_understood.empty()) {
    // What is not understood never allows and always denies.
    addOnce(scan.out.reasons, st.not_understood);
    holds = !st.allow;
  }
  if (!holds) return;

  scan.out.matched.push_back(MatchedStatement{&policy, layer, st.index, st.allow, st.start, st.end});
  LayerResult* result = layer == PolicyLayer::Identity              ? &scan.identity
                        : layer == PolicyLayer::PermissionsBoundary ? &scan.boundary
                        : layer == PolicyLayer::Session             ? &scan.session
                                                                    : nullptr;
  if (!st.allow) {
    if (!scan.explicit_deny) scan.deny_layer = layer;
    scan.explicit_deny = true;
    if (result != nullptr) result->deny = true;
  } else if (result != nullptr) {
    result->allow = true;
  } else {
    scan.resource_allow[static_cast<int>(how)] = true;
  }
}

// Sets the bit of each statement an entry of `slot` matches. `whole`: the
// slot's key is the entire action name, so exact names match too.
void markSlot(Scan& scan, const CompiledPolicy& policy, const ActionIndex::Bucket& bucket, const ActionIndex::Slot& slot,
              bool whole) {
  const auto& statements = policy.statements();
  for (std::uint32_t k = slot.first; k < slot.first + slot.count; ++k) {
    const ActionIndex::Entry& e = bucket.entries[k];
    std::uint64_t& word = scan.matched[e.statement / 64];
    const std::uint64_t bit = std::uint64_t{1} << (e.statement % 64);
    switch (e.kind) {
      case ActionIndex::Kind::Exact:
        if (whole) word |= bit;
        break;
      case ActionIndex::Kind::Prefix:
        word |= bit;
        break;
      case ActionIndex::Kind::Glob:
        if ((word & bit) == 0 && matchPattern(statements[e.statement].actions[e.action], scan.action, scan.keys, nullptr))
          word |= bit;
        break;
    }
  }
}

// The statements whose action element accepts the request's action, in
// statement order; each is then matched on the rest.
void scanPolicy(Scan& scan, const CompiledPolicy& policy, PolicyLayer layer) {
  const auto& statements = policy.statements();
  const std::size_t count = statements.size();
  scan.memo_slots = static_cast<std::uint32_t>(std::min<std::size_t>(policy.actionIndex().memo_slots, kMaxMemoSlots));
  if (scan.memo_slots <= 8) {
    // (A fixed-size clear: a memset call costs more than the slots.)
    std::memset(scan.memo, 0, 8);
  } else {
    std::memset(scan.memo, 0, scan.memo_slots);
  }
  if (!scan.indexed || count > kMaxIndexedStatements) {
    for (const auto& st : statements)
      if (actionMatches(st, scan.action, scan.keys)) scanStatement(scan, policy, st, layer);
    return;
  }
  const ActionIndex& index = policy.actionIndex();
  const std::size_t words = (count + 63) / 64;
  // (One word is the common case; a fill of one word costs a rep stos.)
  if (words == 1)
    scan.matched[0] = 0;
  else
    std::fill_n(scan.matched, words, std::uint64_t{0});
  if (const ActionIndex::Bucket* bucket = index.find(scan.service, scan.service_hash); bucket != nullptr) {
    const std::size_t n = scan.name.size();
    bool whole_probed = false;
    for (const std::uint32_t length : bucket->lengths) {
      if (length > n) break;
      if (const auto* slot = bucket->find(scan.name_hashes[length], scan.name.substr(0, length)); slot != nullptr)
        markSlot(scan, policy, *bucket, *slot, length == n);
      whole_probed = length == n;
    }
    if (bucket->has_exact && !whole_probed)
      if (const auto* slot = bucket->find(scan.name_hashes[n], scan.name); slot != nullptr)
        markSlot(scan, policy, *bucket, *slot, true);
  }
  for (const auto& g : index.generic) {
    std::uint64_t& word = scan.matched[g.statement / 64];
    const std::uint64_t bit = std::uint64_t{1} << (g.statement % 64);
    if ((word & bit) == 0 && matchPattern(statements[g.statement].actions[g.action], scan.action, scan.keys, nullptr))
      word |= bit;
  }
  // A NotAction statement applies when none of its patterns matched.
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t bits = scan.matched[w] ^ index.not_action[w];
    while (bits != 0) {
      const auto i = w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
      bits &= bits - 1;
      scanStatement(scan, policy, statements[i], layer);
    }
  }
}

}  // namespace

// ------------------------------------------------------------ combining

void evaluate(const PolicySet& policies, const RequestContext& request, Decision& out) {
  out.type = DecisionType::ImplicitDeny;
  out.layer = PolicyLayer::Identity;
  out.matched.clear();
  out.missing_context_keys.clear();
  out.reasons.clear();

  // Actions compare case-insensitively: lower the request's once.
  char inline_action[256];
  std::string heap_action;
  std::string_view action;
  if (request.action.size() <= sizeof(inline_action)) {
    for (std::size_t i = 0; i < request.action.size(); ++i) {
      const char c = request.action[i];
      inline_action[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    action = std::string_view(inline_action, request.action.size());
  } else {
    heap_action = toLower(request.action);
    action = heap_action;
  }

  Scan scan(request, action, out);
  for (const auto* p : policies.identity) scanPolicy(scan, *p, PolicyLayer::Identity);
  for (const auto* p : policies.resource) scanPolicy(scan, *p, PolicyLayer::Resource);
  if (policies.boundary_present)
    for (const auto* p : policies.boundary) scanPolicy(scan, *p, PolicyLayer::PermissionsBoundary);
  if (policies.session_present)
    for (const auto* p : policies.session) scanPolicy(scan, *p, PolicyLayer::Session);

  auto granted = [&](PrincipalMatch m) { return scan.resource_allow[static_cast<int>(m)]; };
  const bool external = !request.principal_service.empty() || !request.federated_provider.empty();
  const bool same_account = request.resource_account.empty() || request.resource_account == request.principal_account;
  const bool boundary_ok = !policies.boundary_present || scan.boundary.allow;
  const bool session_ok = !policies.session_present || scan.session.allow;
  // The caller's own side: the root user is not limited by identity
  // policies (it has none), only by a session policy (AssumeRoot's task
  // policy); everyone else needs an identity allow inside the boundary and
  // the session policy.
  const bool identity_ok = request.principal_is_root ? session_ok : (scan.identity.allow && boundary_ok && session_ok);
  const bool resource_any = granted(PrincipalMatch::Account) || granted(PrincipalMatch::Everyone) ||
                            granted(PrincipalMatch::Role) || granted(PrincipalMatch::User) ||
                            granted(PrincipalMatch::Session) || granted(PrincipalMatch::External);

  // The combining rule ("Policy evaluation logic", "Cross-account policy
  // evaluation logic", "Permissions boundaries", "Session policies"), first
  // matching row wins. I = identity allow, B = boundary allows or absent,
  // S = session policy allows or absent. A resource-policy allow counts by
  // how its Principal named the caller.
  //
  //  # | explicit Deny | caller             | account | resource policy allows via    | also needs | decision      | layer
  // ---+---------------+--------------------+---------+-------------------------------+------------+---------------+------------
  //  1 | yes           | any                | any     | -                             | -          | ExplicitDeny  | the Deny's
  //  2 | no            | service/federated  | -       | Service/Federated or "*"      | -          | Allowed       | Resource
  //  3 | no            | service/federated  | -       | nothing                       | -          | ImplicitDeny  | Resource
  //  4 | no            | account root       | same    | -                             | S          | Allowed       | Identity
  //  5 | no            | user or session    | same    | its user / session ARN        | -          | Allowed       | Resource
  //    |               |                    |         |   (a direct grant: B and S do not limit it)
  //  6 | no            | user or session    | same    | role ARN or "*"               | B and S    | Allowed       | Resource
  //  7 | no            | user or session    | same    | - (or its account: delegation)| I, B and S | Allowed       | Identity
  //  8 | no            | user or session    | same    | otherwise                     |            | ImplicitDeny  | Identity
  //  9 | no            | any, root included | other   | anything, its account too     | I, B and S | Allowed       | Resource
  //    |               |                    |         |                               | (root: S)  |               |
  // 10 | no            | any                | other   | nothing                       |            | ImplicitDeny  | Resource
  // 11 | no            | any                | other   | something, identity side not  |            | ImplicitDeny  | Identity
  //
  // Rows 5-6: an implicit deny in a boundary does not limit a resource
  // policy naming the user or the session, but does limit one naming the
  // role; a session policy limits grants to the role, not to the session.
  if (scan.explicit_deny) {                                                       // 1
    out.type = DecisionType::ExplicitDeny;
    out.layer = scan.deny_layer;
  } else if (external) {                                                          // 2, 3
    out.layer = PolicyLayer::Resource;
    if (granted(PrincipalMatch::External) || granted(PrincipalMatch::Everyone)) out.type = DecisionType::Allowed;
  } else if (same_account) {
    if (request.principal_is_root) {                                              // 4
      if (session_ok) out.type = DecisionType::Allowed;
      else out.layer = PolicyLayer::Session;
    } else if (granted(PrincipalMatch::User) || granted(PrincipalMatch::Session)) {  // 5
      out.type = DecisionType::Allowed;
      out.layer = PolicyLayer::Resource;
    } else if ((granted(PrincipalMatch::Role) || granted(PrincipalMatch::Everyone)) && boundary_ok && session_ok) {  // 6
      out.type = DecisionType::Allowed;
      out.layer = PolicyLayer::Resource;
    } else if (identity_ok) {                                                     // 7
      out.type = DecisionType::Allowed;
    } else {                                                                      // 8
      out.layer = !scan.identity.allow ? PolicyLayer::Identity
                  : !boundary_ok       ? PolicyLayer::PermissionsBoundary
                                       : PolicyLayer::Session;
    }
  } else if (resource_any && identity_ok) {                                      // 9
    out.type = DecisionType::Allowed;
    out.layer = PolicyLayer::Resource;
  } else if (!resource_any) {                                                     // 10
    out.layer = PolicyLayer::Resource;
  } else {                                                                        // 11
    out.layer = request.principal_is_root ? PolicyLayer::Session
                : !scan.identity.allow    ? PolicyLayer::Identity
                : !boundary_ok       ? PolicyLayer::PermissionsBoundary
                                     : PolicyLayer::Session;
  }
}

Decision evaluate(const PolicySet& policies, const RequestContext& request) {
  Decision d;
  evaluate(policies, request, d);
  return d;
}

}  // namespace iamlocal::policy
