// Inline policies embedded in users, groups and roles: Put*Policy,
// Get*Policy, Delete*Policy, List*Policies. A principal's inline policies
// share one size quota (checkPolicyDocument).
#include <mutex>
#include <shared_mutex>
#include <string>

#include "iamlocal/core/strings.h"
#include "identity_common.h"
#include "operations.h"
#include "policy_shapes.h"

namespace iamlocal::services::iam {
namespace {

struct UserKind {
  static constexpr std::string_view kName = "User";
  static constexpr std::string_view kLower = "user";
  static constexpr PolicyKind kPolicyKind = PolicyKind::InlineUser;
  static auto& entities(store::Account& a) { return a.users; }
  static const auto& entities(const store::Account& a) { return a.users; }
  static Error notFound(std::string_view name) { return noSuchUser(name); }
  static Status checkModifiable(const store::User&) { return {}; }
};
struct GroupKind {
  static constexpr std::string_view kName = "Group";
  static constexpr std::string_view kLower = "group";
  static constexpr PolicyKind kPolicyKind = PolicyKind::InlineGroup;
  static auto& entities(store::Account& a) { return a.groups; }
  static const auto& entities(const store::Account& a) { return a.groups; }
  static Error notFound(std::string_view name) { return noSuchGroup(name); }
  static Status checkModifiable(const store::Group&) { return {}; }
};
struct RoleKind {
  static constexpr std::string_view kName = "Role";
  static constexpr std::string_view kLower = "role";
  static constexpr PolicyKind kPolicyKind = PolicyKind::InlineRole;
  static auto& entities(store::Account& a) { return a.roles; }
  static const auto& entities(const store::Account& a) { return a.roles; }
  static Error notFound(std::string_view name) { return noSuchRole(name); }
  static Status checkModifiable(const store::Role& role) {
    if (isServiceLinkedRole(role)) return fail(protectedRole(role.name));
    return {};
  }
};

// AWS: "The role policy with name X cannot be found." (and user/group alike).
template <typename Kind>
Error noSuchInlinePolicy(std::string_view policy_name) {
  return makeError(ErrorCode::NoSuchEntity,
                   "The " + std::string(Kind::kLower) + " policy with name " + std::string(policy_name) + " cannot be found.");
}

template <typename Kind>
void registerFor(OperationTable& table, store::Store& store) {
  const std::string kind(Kind::kName);
  const std::string name_member = kind + "Name";

  table.add("iam", "Put" + kind + "Policy", [&store, name_member](const Call& call, const json& input) -> Result<json> {
    const std::string name = inputString(input, name_member);
    const std::string policy_name = inputString(input, "PolicyName");
    const std::string document = inputString(input, "PolicyDocument");
    std::unique_lock lock(store.mutex());
    auto& account = store.account(call.caller.account_id);
    auto& entities = Kind::entities(account);
    auto it = entities.find(name);
    if (it == entities.end()) return fail(Kind::notFound(name));
    auto& entity = it->second;
    IAMLOCAL_RETURN_IF_ERROR(Kind::checkModifiable(entity));
    std::size_t others = 0;
    const CaseInsensitiveLess less;
    for (const auto& [existing_name, existing_document] : entity.inline_policies)
      if (less(existing_name, policy_name) || less(policy_name, existing_name))
        others += policySizeWithoutWhitespace(existing_document);
    IAMLOCAL_RETURN_IF_ERROR(checkPolicyDocument(Kind::kPolicyKind, document, entity.name, others));
    // Replacing keeps one entry per name ignoring case, spelled as last put.
    entity.inline_policies.erase(policy_name);
    entity.inline_policies.emplace(policy_name, document);
    return json::object();
  });

  table.add("iam", "Get" + kind + "Policy", [&store, name_member](const Call& call, const json& input) -> Result<json> {
    const std::string name = inputString(input, name_member);
    const std::string policy_name = inputString(input, "PolicyName");
    std::shared_lock lock(store.mutex());
    const store::Account* account = store.findAccount(call.caller.account_id);
    if (account == nullptr) return fail(Kind::notFound(name));
    const auto& entities = Kind::entities(*account);
    auto it = entities.find(name);
    if (it == entities.end()) return fail(Kind::notFound(name));
    auto policy = it->second.inline_policies.find(policy_name);
    if (policy == it->second.inline_policies.end()) return fail(noSuchInlinePolicy<Kind>(policy_name));
    json out = json::object();
    out[name_member] = it->second.name;
    out["PolicyName"] = policy->first;
    out["PolicyDocument"] = uriEncode(policy->second);
    return out;
  });

  table.add("iam", "Delete" + kind + "Policy", [&store, name_member](const Call& call, const json& input) -> Result<json> {
    const std::string name = inputString(input, name_member);
    const std::string policy_name = inputString(input, "PolicyName");
    std::unique_lock lock(store.mutex());
    auto& account = store.account(call.caller.account_id);
    auto& entities = Kind::entities(account);
    auto it = entities.find(name);
    if (it == entities.end()) return fail(Kind::notFound(name));
    IAMLOCAL_RETURN_IF_ERROR(Kind::checkModifiable(it->second));
    if (it->second.inline_policies.erase(policy_name) == 0) return fail(noSuchInlinePolicy<Kind>(policy_name));
    return json::object();
  });

  table.add("iam", "List" + kind + "Policies", [&store, name_member](const Call& call, const json& input) -> Result<json> {
    const std::string name = inputString(input, name_member);
    std::shared_lock lock(store.mutex());
    const store::Account* account = store.findAccount(call.caller.account_id);
    if (account == nullptr) return fail(Kind::notFound(name));
    const auto& entities = Kind::entities(*account);
    auto it = entities.find(name);
    if (it == entities.end()) return fail(Kind::notFound(name));
    // By name ignoring case; the Marker is the next page's first name.
    const auto& policies = it->second.inline_policies;
    auto entry = policies.begin();
    if (auto marker = input.find("Marker"); marker != input.end() && marker->is_string())
      entry = policies.lower_bound(marker->get_ref<const std::string&>());
    const std::size_t max_items = maxItems(input);
    json names = json::array();
    for (; entry != policies.end() && names.size() < max_items; ++entry) names.push_back(entry->first);
    json out = json::object();
    out["PolicyNames"] = std::move(names);
    out["IsTruncated"] = entry != policies.end();
    if (entry != policies.end()) out["Marker"] = entry->first;
    return out;
  });
}

}  // namespace

void registerInlinePolicyOperations(OperationTable& table, store::Store& store) {
  registerFor<UserKind>(table, store);
  registerFor<GroupKind>(table, store);
  registerFor<RoleKind>(table, store);
}

}  // namespace iamlocal::services::iam
