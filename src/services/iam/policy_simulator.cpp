// IAM's policy simulator: SimulateCustomPolicy, SimulatePrincipalPolicy,
// GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy. The
// decisions are the policy engine's own (policy::evaluate, as enforcement
// uses it); this file gathers the policies, builds one request per action
// and resource, and renders the answers in AWS's shapes.
#include "policy_simulator.h"

#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "iamlocal/core/clock.h"
#include "iamlocal/core/strings.h"
#include "iamlocal/policy/context_keys.h"
#include "iamlocal/policy/validator.h"
#include "iamlocal/services/principal_policies.h"
#include "iamlocal/store/aws_managed_policies.h"
#include "identity_common.h"
#include "operations.h"
#include "policy_shapes.h"

namespace iamlocal::services::iam {

using policy::Position;

namespace {

bool isJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The position (1-based line, column in code points) of byte `offset`.
Position positionAt(std::string_view text, std::size_t offset) {
  Position p{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else if (!isContinuationByte(text[i])) {
      ++p.column;
    }
  }
  return p;
}

// The byte offset of `p` in `text`, or npos.
std::size_t offsetOf(std::string_view text, Position p) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (isContinuationByte(text[i])) continue;
    if (line == p.line && column == p.column) return i;
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::pair<Position, Position> simulatorPositions(std::string_view text, Position open, Position close) {
  const Position end{close.line, close.column + 1};
  Position start{open.line, open.column + 1};
  std::size_t i = offsetOf(text, open);
  if (i == std::string_view::npos) return {start, end};
  auto skipSpace = [&] {
    while (i > 0 && isJsonSpace(text[i - 1])) --i;
  };
  skipSpace();
  if (i > 0 && text[i - 1] == ',') {
    --i;
    skipSpace();
  }
  if (i > 0 && (text[i - 1] == '[' || text[i - 1] == '}')) {
    const Position before = positionAt(text, i - 1);
    start = Position{before.line, before.column + 1};
  }
  return {start, end};
}

namespace {

struct KeyType {
  std::string_view name;
  policy::ContextKeyType type;
  std::string_view base;  // the element type, for checking values
};
constexpr KeyType kKeyTypes[] = {
    {"string", policy::ContextKeyType::String, "string"},
    {"stringList", policy::ContextKeyType::StringList, "string"},
    {"numeric", policy::ContextKeyType::Numeric, "numeric"},
    {"numericList", policy::ContextKeyType::NumericList, "numeric"},
    {"boolean", policy::ContextKeyType::Boolean, "boolean"},
    {"booleanList", policy::ContextKeyType::BooleanList, "boolean"},
    {"date", policy::ContextKeyType::Date, "date"},
    {"dateList", policy::ContextKeyType::DateList, "date"},
    {"ip", policy::ContextKeyType::Ip, "ip"},
    {"ipList", policy::ContextKeyType::IpList, "ip"},
    {"binary", policy::ContextKeyType::Binary, "binary"},
    {"binaryList", policy::ContextKeyType::BinaryList, "binary"},
};

bool validValue(std::string_view base, const std::string& value) {
  if (base == "numeric") {
    if (value.empty()) return false;
    char* end = nullptr;
    std::strtod(value.c_str(), &end);
    return end == value.c_str() + value.size();
  }
  if (base == "boolean") return iequals(value, "true") || iequals(value, "false");
  if (base == "date") {
    TimePoint t;
    if (parseIso8601(value, t)) return true;
    return !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
  }
  if (base == "ip")
    return !value.empty() && value.find_first_not_of("0123456789abcdefABCDEF.:/") == std::string::npos;
  return true;
}

}  // namespace

Status readContextEntries(const json& entries, policy::RequestContext& request) {
  if (!entries.is_array()) return {};
  for (const auto& entry : entries) {
    const std::string name = entry.value("ContextKeyName", "");
    if (name.empty()) return fail(ErrorCode::InvalidInput, "ContextKeyName is required for each context entry.");
    const std::string type_name = entry.value("ContextKeyType", "string");
    const KeyType* type = nullptr;
    for (const auto& t : kKeyTypes)
      if (t.name == type_name) type = &t;
    if (type == nullptr)
      return fail(ErrorCode::InvalidInput, "Invalid ContextKeyType '" + type_name + "' for context key " + name + ".");
    std::vector<std::string> values;
    if (auto it = entry.find("ContextKeyValues"); it != entry.end() && it->is_array())
      for (const auto& v : *it)
        if (v.is_string()) values.push_back(v.get<std::string>());
    for (const auto& v : values)
      if (!validValue(type->base, v))
        return fail(ErrorCode::InvalidInput, "Invalid value '" + v + "' for context key " + name + " of type " +
                                                 type_name + ".");
    request.set(name, std::move(values), type->type);
  }
  return {};
}

namespace {

// How results name a policy's kind. AWS reports "IAM Policy" for every
// identity-based policy (inline, managed, input, boundary), whatever the
// model's enum suggests.
constexpr std::string_view kIamPolicyType = "IAM Policy";
constexpr std::string_view kResourcePolicyType = "Resource Policy";

// The policies of one simulation: the set the engine evaluates, and for
// each policy the name, kind and text the results report it by.
class Simulation {
 public:
  struct Source {
    std::string id;
    std::string_view type;
    std::string_view text;
  };

  policy::PolicySet set;

  // Validates and compiles a document given in the request (the text must
  // outlive the simulation) and adds it to `layer`. A document that is not
  // a valid policy is InvalidInput with the validator's (AWS's) message.
  Status addInput(std::string_view text, std::string id, policy::PolicyKind kind,
                  std::vector<const policy::CompiledPolicy*>& layer, std::string_view type) {
    if (auto valid = policy::validatePolicyDocument(kind, text); !valid)
      return fail(ErrorCode::InvalidInput, valid.error().message);
    auto compiled = policy::compilePolicy(text, id);
    if (!compiled) return fail(ErrorCode::InvalidInput, compiled.error().message);
    owned_.push_back(std::make_unique<policy::CompiledPolicy>(std::move(*compiled)));
    layer.push_back(owned_.back().get());
    describe(owned_.back().get(), std::move(id), text, type);
    return {};
  }

  void describe(const policy::CompiledPolicy* compiled, std::string id, std::string_view text,
                std::string_view type = kIamPolicyType) {
    if (compiled == nullptr) return;
    if (sources_.emplace(compiled, Source{std::move(id), type, text}).second) order_.push_back(compiled);
  }

  const Source* find(const policy::CompiledPolicy* compiled) const {
    auto it = sources_.find(compiled);
    return it == sources_.end() ? nullptr : &it->second;
  }
  // Every described policy, in the order described.
  const std::vector<const policy::CompiledPolicy*>& order() const { return order_; }

 private:
  std::vector<std::unique_ptr<policy::CompiledPolicy>> owned_;
  std::unordered_map<const policy::CompiledPolicy*, Source> sources_;
  std::vector<const policy::CompiledPolicy*> order_;
};

// ---------------------------------------------------------------- ARNs

// "arn:aws:iam::ACCOUNT:user/path/name" and the like.
struct EntityArn {
  std::string_view account, type, name;
};
std::optional<EntityArn> parseEntityArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  if (!arn.starts_with(kPrefix)) return std::nullopt;
  const std::string_view rest = arn.substr(kPrefix.size());
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view resource = rest.substr(colon + 1);
  const auto type_end = resource.find('/');
  const auto slash = resource.rfind('/');
  if (type_end == std::string_view::npos || slash + 1 >= resource.size()) return std::nullopt;
  return EntityArn{rest.substr(0, colon), resource.substr(0, type_end), resource.substr(slash + 1)};
}

bool isAccountId(std::string_view s) {
  return s.size() == 12 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// The account field of any ARN (arn:partition:service:region:account:...),
// or "" when it has none (S3 buckets) or `arn` is not an ARN.
std::string_view arnAccount(std::string_view arn) {
  if (!arn.starts_with("arn:")) return {};
  std::size_t at = 0;
  for (int field = 0; field < 4; ++field) {
    at = arn.find(':', at);
    if (at == std::string_view::npos) return {};
    ++at;
  }
  const auto end = arn.find(':', at);
  if (end == std::string_view::npos) return {};
  const std::string_view account = arn.substr(at, end - at);
  return isAccountId(account) ? account : std::string_view{};
}

// ---------------------------------------------------------------- entity sources

void describeManaged(Simulation& sim, const store::Account* account, const std::string& arn) {
  if (store::isAwsManagedPolicyArn(arn)) {
    if (const store::AwsManagedPolicy* aws = store::findAwsManagedPolicy(arn))
      sim.describe(&store::compiledAwsManagedPolicy(*aws), std::string(aws->name), aws->document);
    return;
  }
  if (account == nullptr) return;
  const auto name = splitPolicyArn(arn).name;
  auto it = account->policies.find(name);
  if (it == account->policies.end() || it->second.arn != arn) return;
  for (const auto& version : it->second.versions)
    if (version.version_id == it->second.default_version_id)
      sim.describe(version.compiled.get(), it->second.name, version.document);
}

// Inline policies are reported as "<kind>_<entity>_<policy>", as AWS names them.
void describeInline(Simulation& sim, std::string_view kind, const std::string& entity,
                    const store::ByName<store::StoredPolicy>& policies) {
  for (const auto& [name, stored] : policies)
    sim.describe(stored.compiled.get(), std::string(kind) + "_" + entity + "_" + name, stored.text);
}

void describeGroup(Simulation& sim, const store::Account* account, const store::Group& group) {
  describeInline(sim, "group", group.name, group.inline_policies);
  for (const auto& arn : group.attached_policy_arns) describeManaged(sim, account, arn);
}

// Names every policy collectEntityPolicies gathered for `entity` (which it
// has already found).
void describeEntity(Simulation& sim, const store::Store& store, const EntityArn& entity) {
  const store::Account* account = store.findAccount(entity.account);
  if (account == nullptr) return;
  if (entity.type == "user") {
    auto it = account->users.find(entity.name);
    if (it == account->users.end()) return;
    const store::User& user = it->second;
    describeInline(sim, "user", user.name, user.inline_policies);
    for (const auto& arn : user.attached_policy_arns) describeManaged(sim, account, arn);
    for (const auto& group_name : user.group_names)
      if (auto g = account->groups.find(group_name); g != account->groups.end()) describeGroup(sim, account, g->second);
    if (!user.permissions_boundary_arn.empty()) describeManaged(sim, account, user.permissions_boundary_arn);
  } else if (entity.type == "group") {
    if (auto g = account->groups.find(entity.name); g != account->groups.end()) describeGroup(sim, account, g->second);
  } else if (entity.type == "role") {
    auto it = account->roles.find(entity.name);
    if (it == account->roles.end()) return;
    const store::Role& role = it->second;
    describeInline(sim, "role", role.name, role.inline_policies);
    for (const auto& arn : role.attached_policy_arns) describeManaged(sim, account, arn);
    if (!role.permissions_boundary_arn.empty()) describeManaged(sim, account, role.permissions_boundary_arn);
  }
}

// ---------------------------------------------------------------- inputs

std::vector<std::string_view> stringList(const json& input, std::string_view member) {
  std::vector<std::string_view> out;
  if (auto it = input.find(member); it != input.end() && it->is_array())
    for (const auto& v : *it)
      if (v.is_string()) out.push_back(v.get_ref<const std::string&>());
  return out;
}

const std::string* optionalString(const json& input, std::string_view member) {
  auto it = input.find(member);
  return it != input.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// PolicyInputList (identity layer) and PermissionsBoundaryPolicyInputList
// (replacing any boundary the entity has).
Status addInputPolicies(Simulation& sim, const json& input) {
  const auto policies = stringList(input, "PolicyInputList");
  for (std::size_t i = 0; i < policies.size(); ++i)
    IAMLOCAL_RETURN_IF_ERROR(sim.addInput(policies[i], "PolicyInputList." + std::to_string(i + 1),
                                          policy::PolicyKind::Identity, sim.set.identity, kIamPolicyType));
  const auto boundaries = stringList(input, "PermissionsBoundaryPolicyInputList");
  if (boundaries.size() > 1)
    return fail(ErrorCode::InvalidInput, "Only one permissions boundary policy can be simulated at a time.");
  if (!boundaries.empty()) {
    // An entity has one boundary in effect: the one given replaces its own.
    sim.set.boundary.clear();
    sim.set.boundary_present = true;
    IAMLOCAL_RETURN_IF_ERROR(sim.addInput(boundaries[0], "PermissionsBoundaryPolicyInputList.1",
                                          policy::PolicyKind::Identity, sim.set.boundary, kIamPolicyType));
  }
  return {};
}

Status checkCallerArn(const std::string& arn) {
  const auto entity = parseEntityArn(arn);
  if (!entity || entity->type != "user" || !isAccountId(entity->account))
    return fail(ErrorCode::InvalidInput, "Invalid CallerArn: " + arn + ". CallerArn must be the ARN of an IAM user.");
  return {};
}

// ---------------------------------------------------------------- results

json positionToJson(const Position& p) { return {{"Line", p.line}, {"Column", p.column}}; }

// The statements that decided: for an explicit deny only the denies, for
// an allow the allows, for an implicit deny none.
json matchedStatements(const Simulation& sim, const policy::Decision& d) {
  json list = json::array();
  if (d.type == policy::DecisionType::ImplicitDeny) return list;
  const bool want_allow = d.type == policy::DecisionType::Allowed;
  for (const auto& m : d.matched) {
    if (m.allow != want_allow) continue;
    const Simulation::Source* source = sim.find(m.policy);
    json st = json::object();
    st["SourcePolicyId"] = source != nullptr ? source->id : m.policy->id();
    st["SourcePolicyType"] = std::string(source != nullptr ? source->type : kIamPolicyType);
    const auto [start, end] = source != nullptr ? simulatorPositions(source->text, m.start, m.end)
                                                : std::pair{Position{m.start.line, m.start.column + 1},
                                                            Position{m.end.line, m.end.column + 1}};
    st["StartPosition"] = positionToJson(start);
    st["EndPosition"] = positionToJson(end);
    list.push_back(std::move(st));
  }
  return list;
}

json missingKeys(const policy::Decision& d) {
  json list = json::array();
  std::vector<std::string_view> seen;
  for (auto key : d.missing_context_keys) {
    bool dup = false;
    for (auto s : seen) dup = dup || iequals(s, key);
    if (dup) continue;
    seen.push_back(key);
    list.push_back(std::string(key));
  }
  return list;
}

// What readSimulationOptions gives every simulated request.
struct SimulationOptions {
  // Who asks, when, and the ContextEntries; action and resource are set per
  // request.
  policy::RequestContext base;
  std::string resource_owner;  // account id, or "" for the caller's
};

// The decision of the resource-based policy alone, for cross-account details.
std::string_view resourceSideDecision(const policy::Decision& d) {
  bool allow = false;
  for (const auto& m : d.matched) {
    if (m.layer != policy::PolicyLayer::Resource) continue;
    if (!m.allow) return policy::decisionName(policy::DecisionType::ExplicitDeny);
    allow = true;
  }
  return policy::decisionName(allow ? policy::DecisionType::Allowed : policy::DecisionType::ImplicitDeny);
}

Result<json> simulate(const Simulation& sim, const json& input, const SimulationOptions& options) {
  const policy::RequestContext& base = options.base;
  const auto actions = stringList(input, "ActionNames");
  const auto resources = stringList(input, "ResourceArns");
  const bool resources_given = !resources.empty();
  static constexpr std::string_view kAllResources[] = {"*"};
  const std::span<const std::string_view> targets =
      resources_given ? std::span<const std::string_view>(resources) : std::span<const std::string_view>(kAllResources);

  std::vector<json> results;
  results.reserve(actions.size() * targets.size());
  policy::Decision decision, side;
  for (const auto action : actions) {
    for (const auto resource : targets) {
      policy::RequestContext request = base;
      request.action = std::string(action);
      request.resource = std::string(resource);
      std::string_view owner = arnAccount(resource);
      if (owner.empty()) owner = options.resource_owner;
      request.resource_account = std::string(owner);
      const bool cross_account = !owner.empty() && owner != request.principal_account;
      policy::evaluate(sim.set, request, decision);

      json r = json::object();
      r["EvalActionName"] = std::string(action);
      r["EvalResourceName"] = std::string(resource);
      r["EvalDecision"] = std::string(policy::decisionName(decision.type));
      r["MatchedStatements"] = matchedStatements(sim, decision);
      const json missing = missingKeys(decision);
      // Missing keys are reported per resource when resources are listed.
      r["MissingContextValues"] = resources_given && resource != "*" ? json::array() : missing;

      json boundary_detail;
      if (sim.set.boundary_present) {
        // Does the boundary alone allow the request (in the caller's account)?
        policy::PolicySet boundary_only;
        boundary_only.identity = sim.set.boundary;
        policy::RequestContext own = request;
        own.resource_account.clear();
        policy::evaluate(boundary_only, own, side);
        boundary_detail = {{"AllowedByPermissionsBoundary", side.allowed()}};
        r["PermissionsBoundaryDecisionDetail"] = boundary_detail;
      }
      // EvalDecisionDetails: how each side of a cross-account request
      // decided; present but empty for same-account simulations of listed
      // resources, absent for "*" (AWS's documented shape).
      json details = json::object();
      if (cross_account) {
        policy::PolicySet identity_side = sim.set;
        identity_side.resource.clear();
        policy::RequestContext own = request;
        own.resource_account.clear();
        policy::evaluate(identity_side, own, side);
        details[std::string(kIamPolicyType)] = std::string(policy::decisionName(side.type));
        details[std::string(kResourcePolicyType)] = std::string(resourceSideDecision(decision));
      }
      if (resources_given || cross_account) r["EvalDecisionDetails"] = details;
      if (resources_given) {
        json specific = json::object();
        specific["EvalResourceName"] = std::string(resource);
        specific["EvalResourceDecision"] = r["EvalDecision"];
        specific["MatchedStatements"] = r["MatchedStatements"];
        specific["MissingContextValues"] = missing;
        if (cross_account) specific["EvalDecisionDetails"] = details;
        if (sim.set.boundary_present) specific["PermissionsBoundaryDecisionDetail"] = boundary_detail;
        r["ResourceSpecificResults"] = json::array({std::move(specific)});
      }
      results.push_back(std::move(r));
    }
  }

  // Marker: the index of the first result of the next page.
  std::size_t start = 0;
  if (const std::string* marker = optionalString(input, "Marker")) {
    if (marker->empty() || marker->find_first_not_of("0123456789") != std::string::npos || marker->size() > 9 ||
        std::stoul(*marker) > results.size())
      return fail(ErrorCode::InvalidInput, "Invalid Marker: " + *marker + ".");
    start = std::stoul(*marker);
  }
  const std::size_t max_items = maxItems(input);
  json page = json::array();
  std::size_t i = start;
  for (; i < results.size() && page.size() < max_items; ++i) page.push_back(std::move(results[i]));
  json out = json::object();
  out["EvaluationResults"] = std::move(page);
  out["IsTruncated"] = i < results.size();
  if (i < results.size()) out["Marker"] = std::to_string(i);
  return out;
}

// ResourceOwner names an account as "arn:aws:iam::ACCOUNT:root" (or any ARN
// carrying the account); AWS rejects anything else with this text.
Result<std::string> readResourceOwner(const json& input) {
  const std::string* owner = optionalString(input, "ResourceOwner");
  if (owner == nullptr) return std::string();
  const std::string_view account = arnAccount(*owner);
  if (account.empty()) return fail(ErrorCode::InvalidInput, "'" + *owner + "' is not a valid as a Resource Owner.");
  return std::string(account);
}

// The entity whose policies SimulatePrincipalPolicy simulates
// (PolicySourceArn); SimulateCustomPolicy has none.
struct PolicySource {
  std::string_view arn;
  EntityArn entity;
};

// Reads, in this order (which decides the error a request with several
// faults gets), CallerArn, ResourcePolicy (added to `sim`), ResourceOwner,
// ContextEntries and ResourceHandlingOption. The two operations differ only
// where `source` is set: without a CallerArn, a user source is itself the
// caller (so a ResourcePolicy needs no CallerArn) and any source gives the
// caller's account, where SimulateCustomPolicy takes the account of whoever
// signed; a role source is the requests' role.
Result<SimulationOptions> readSimulationOptions(Simulation& sim, const json& input, const PolicySource* source,
                                                const Call& call) {
  const std::string* caller_arn = optionalString(input, "CallerArn");
  if (caller_arn != nullptr) IAMLOCAL_RETURN_IF_ERROR(checkCallerArn(*caller_arn));
  const bool source_is_user = source != nullptr && source->entity.type == "user";
  if (const std::string* resource_policy = optionalString(input, "ResourcePolicy")) {
    // The resource policy's Principal needs someone to compare with.
    if (caller_arn == nullptr && !source_is_user)
      return fail(ErrorCode::InvalidInput,
                  source == nullptr ? "CallerArn must be specified when a ResourcePolicy is specified."
                                    : "CallerArn must be specified when a ResourcePolicy is specified and "
                                      "PolicySourceArn is not the ARN of an IAM user.");
    IAMLOCAL_RETURN_IF_ERROR(sim.addInput(*resource_policy, "ResourcePolicy", policy::PolicyKind::Resource,
                                          sim.set.resource, kResourcePolicyType));
  }
  SimulationOptions options;
  IAMLOCAL_ASSIGN_OR_RETURN(options.resource_owner, readResourceOwner(input));

  policy::RequestContext& base = options.base;
  if (caller_arn != nullptr) {
    base.principal_arn = *caller_arn;
    base.principal_account = std::string(parseEntityArn(*caller_arn)->account);
  } else if (source != nullptr) {
    if (source_is_user) base.principal_arn = std::string(source->arn);
    base.principal_account = std::string(source->entity.account);
  } else {
    base.principal_account = call.caller.account_id;
  }
  if (source != nullptr && source->entity.type == "role") base.role_arn = std::string(source->arn);
  base.now = call.now;
  if (auto it = input.find("ContextEntries"); it != input.end())
    IAMLOCAL_RETURN_IF_ERROR(readContextEntries(*it, base));
  // No finalize(): the simulator evaluates only the context the request
  // gives, and reports every other key a policy needs as missing.

  if (const std::string* option = optionalString(input, "ResourceHandlingOption")) {
    // The EC2 scenarios decide which resources RunInstances must be
    // simulated with; the caller lists them in ResourceArns.
    static constexpr std::string_view kOptions[] = {"EC2-Classic-InstanceStore", "EC2-Classic-EBS",
                                                    "EC2-VPC-InstanceStore",     "EC2-VPC-InstanceStore-Subnet",
                                                    "EC2-VPC-EBS",               "EC2-VPC-EBS-Subnet"};
    bool known = false;
    for (auto o : kOptions) known = known || o == *option;
    if (!known) return fail(ErrorCode::InvalidInput, "Invalid ResourceHandlingOption: " + *option + ".");
  }
  return options;
}

// ---------------------------------------------------------------- operations

Result<json> simulateCustomPolicy(const Call& call, const json& input) {
  Simulation sim;
  IAMLOCAL_RETURN_IF_ERROR(addInputPolicies(sim, input));
  IAMLOCAL_ASSIGN_OR_RETURN(const SimulationOptions options,
                            readSimulationOptions(sim, input, /*source=*/nullptr, call));
  return simulate(sim, input, options);
}

Result<json> simulatePrincipalPolicy(const store::Store& store, const Call& call, const json& input) {
  const std::string source_arn = inputString(input, "PolicySourceArn");
  std::shared_lock lock(store.mutex());
  Simulation sim;
  IAMLOCAL_RETURN_IF_ERROR(collectEntityPolicies(store, source_arn, sim.set));
  const PolicySource source{source_arn, *parseEntityArn(source_arn)};  // collectEntityPolicies found it
  describeEntity(sim, store, source.entity);
  IAMLOCAL_RETURN_IF_ERROR(addInputPolicies(sim, input));
  IAMLOCAL_ASSIGN_OR_RETURN(const SimulationOptions options, readSimulationOptions(sim, input, &source, call));
  return simulate(sim, input, options);
}

// Context keys of the documents of PolicyInputList, after those in `keys`.
Status appendInputContextKeys(const json& input, std::vector<std::string>& keys) {
  for (const auto text : stringList(input, "PolicyInputList")) {
    auto document = policy::parseDocument(text);
    if (!document) return fail(ErrorCode::InvalidInput, document.error().message);
    policy::appendContextKeys(*document, keys);
  }
  return {};
}

Result<json> getContextKeysForCustomPolicy(const Call&, const json& input) {
  std::vector<std::string> keys;
  IAMLOCAL_RETURN_IF_ERROR(appendInputContextKeys(input, keys));
  return json{{"ContextKeyNames", keys}};
}

Result<json> getContextKeysForPrincipalPolicy(const store::Store& store, const Call&, const json& input) {
  const std::string source_arn = inputString(input, "PolicySourceArn");
  std::vector<std::string> keys;
  {
    std::shared_lock lock(store.mutex());
    Simulation sim;
    IAMLOCAL_RETURN_IF_ERROR(collectEntityPolicies(store, source_arn, sim.set));
    describeEntity(sim, store, *parseEntityArn(source_arn));
    for (const auto* compiled : sim.order())
      if (auto document = policy::parseDocument(sim.find(compiled)->text))
        policy::appendContextKeys(*document, keys);
  }
  IAMLOCAL_RETURN_IF_ERROR(appendInputContextKeys(input, keys));
  return json{{"ContextKeyNames", keys}};
}

}  // namespace

void registerPolicySimulatorOperations(OperationTable& table, store::Store& store) {
  table.add("iam", "SimulateCustomPolicy", simulateCustomPolicy);
  table.add("iam", "SimulatePrincipalPolicy",
            [&store](const Call& call, const json& input) { return simulatePrincipalPolicy(store, call, input); });
  table.add("iam", "GetContextKeysForCustomPolicy", getContextKeysForCustomPolicy);
  table.add("iam", "GetContextKeysForPrincipalPolicy", [&store](const Call& call, const json& input) {
    return getContextKeysForPrincipalPolicy(store, call, input);
  });
}

}  // namespace iamlocal::services::iam
