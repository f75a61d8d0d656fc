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
    IAMLOCAL_ASSIGN_OR_RETURN(auto* found, findForChange<Kind>(store.account(call.caller.account_id), name));
    auto& entity = *found;
    std::size_t others = 0;
    const CaseInsensitiveLess less;
    for (const auto& [existing_name, existing_document] : entity.inline_policies)
      if (less(existing_name, policy_name) || less(policy_name, existing_name))
        others += policySizeWithoutWhitespace(existing_document.text);
    IAMLOCAL_RETURN_IF_ERROR(checkPolicyDocument(Kind::kPolicyKind, document, entity.name, others));
    // Replacing keeps one entry per name ignoring case, spelled as last put.
    entity.inline_policies.erase(policy_name);
    // Decisions and the simulator name an inline policy by its name.
    entity.inline_policies.emplace(policy_name, store::storePolicy(document, policy_name));
    return json::object();
  });

  table.add("iam", "Get" + kind + "Policy", [&store, name_member](const Call& call, const json& input) -> Result<json> {
    const std::string name = inputString(input, name_member);
    const std::string policy_name = inputString(input, "PolicyName");
    std::shared_lock lock(store.mutex());
    IAMLOCAL_ASSIGN_OR_RETURN(const auto* entity, findForRead<Kind>(store.findAccount(call.caller.account_id), name));
    auto policy = entity->inline_policies.find(policy_name);
    if (policy == entity->inline_policies.end()) return fail(noSuchInlinePolicy<Kind>(policy_name));
    json out = json::object();
    out[name_member] = entity->name;
    out["PolicyName"] = policy->first;
    out["PolicyDocument"] = uriEncode(policy->second.text);
    return out;
  });

  table.add("iam", "Delete" + kind + "Policy", [&store, name_member](const Call& call, const json& input) -> Result<json> {
    const std::string name = inputString(input, name_member);
    const std::string policy_name = inputString(input, "PolicyName");
    std::unique_lock lock(store.mutex());
    IAMLOCAL_ASSIGN_OR_RETURN(auto* entity, findForChange<Kind>(store.account(call.caller.account_id), name));
    if (entity->inline_policies.erase(policy_name) == 0) return fail(noSuchInlinePolicy<Kind>(policy_name));
    return json::object();
  });

  table.add("iam", "List" + kind + "Policies", [&store, name_member](const Call& call, const json& input) -> Result<json> {
    const std::string name = inputString(input, name_member);
    std::shared_lock lock(store.mutex());
    IAMLOCAL_ASSIGN_OR_RETURN(const auto* entity, findForRead<Kind>(store.findAccount(call.caller.account_id), name));
    // By name ignoring case; the Marker is the next page's first name.
    const auto& policies = entity->inline_policies;
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
