// Managed policy versions: CreatePolicyVersion, GetPolicyVersion,
// ListPolicyVersions, DeletePolicyVersion, SetDefaultPolicyVersion. AWS
// managed policies show their default version only and cannot be changed.
#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "iamlocal/core/clock.h"
#include "iamlocal/core/strings.h"
#include "identity_common.h"
#include "operations.h"
#include "policy_shapes.h"

namespace iamlocal::services::iam {
namespace {

// "A managed policy can have up to five versions"
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html).
constexpr std::size_t kMaxPolicyVersions = 5;

json versionToJson(const store::ManagedPolicy& policy, const store::PolicyVersion& version, bool with_document) {
  json out = json::object();
  if (with_document) out["Document"] = uriEncode(version.document);
  out["VersionId"] = version.version_id;
  out["IsDefaultVersion"] = version.version_id == policy.default_version_id;
  out["CreateDate"] = formatIso8601(version.create_date);
  return out;
}

json awsVersionToJson(const store::AwsManagedPolicy& policy, bool with_document) {
  json out = json::object();
  if (with_document) out["Document"] = uriEncode(policy.document);
  out["VersionId"] = policy.default_version_id;
  out["IsDefaultVersion"] = true;
  // The default version is the policy's latest: it was created when the
  // policy was last updated.
  out["CreateDate"] = policy.update_date;
  return out;
}

template <typename Policy>
auto findVersion(Policy& policy, std::string_view version_id) {
  return std::find_if(policy.versions.begin(), policy.versions.end(),
                      [&](const store::PolicyVersion& v) { return v.version_id == version_id; });
}

}  // namespace

// Every version of a policy as GetAccountAuthorizationDetails lists it.
json policyVersionListToJson(const PolicyRef& policy) {
  json list = json::array();
  if (policy.aws != nullptr) {
    list.push_back(awsVersionToJson(*policy.aws, true));
    return list;
  }
  for (auto it = policy.customer->versions.rbegin(); it != policy.customer->versions.rend(); ++it)
    list.push_back(versionToJson(*policy.customer, *it, true));
  return list;
}

void registerPolicyVersionOperations(OperationTable& table, store::Store& store) {
  table.add("iam", "CreatePolicyVersion", [&store](const Call& call, const json& input) -> Result<json> {
    const std::string arn = inputString(input, "PolicyArn");
    if (store::isAwsManagedPolicyArn(arn)) return fail(awsPolicyAccessDenied(call, arn));
    const std::string document = inputString(input, "PolicyDocument");
    IAMLOCAL_RETURN_IF_ERROR(checkPolicyDocument(PolicyKind::Managed, document));
    const bool set_as_default = input.value("SetAsDefault", false);
    std::unique_lock lock(store.mutex());
    auto& account = store.account(call.caller.account_id);
    store::ManagedPolicy* policy = findCustomerPolicy(account, arn);
    if (policy == nullptr) return fail(policyNotFound(arn));
    if (policy->versions.size() >= kMaxPolicyVersions)
      return fail(ErrorCode::LimitExceeded,
                  "A managed policy can have up to 5 versions. Before you create a new version, you must delete an "
                  "existing version.");
    // Version ids are never reused: v1, v2, ... even after deletions.
    std::string version_id = std::to_string(policy->next_version_number++);
    version_id.insert(version_id.begin(), 'v');  // not "v" + s: GCC 12 warns falsely (-Wrestrict)
    policy->versions.push_back(
        store::PolicyVersion{std::move(version_id), document, call.now, store::storePolicy(document, policy->arn).compiled});
    if (set_as_default) policy->default_version_id = policy->versions.back().version_id;
    // UpdateDate is when the most recent version was created (Policy shape docs).
    policy->update_date = call.now;
    return json{{"PolicyVersion", versionToJson(*policy, policy->versions.back(), false)}};
  });

  table.add("iam", "GetPolicyVersion", [&store](const Call& call, const json& input) -> Result<json> {
    const std::string arn = inputString(input, "PolicyArn");
    const std::string version_id = inputString(input, "VersionId");
    std::shared_lock lock(store.mutex());
    const store::Account* account = store.findAccount(call.caller.account_id);
    const PolicyRef policy = findPolicy(account, arn);
    if (!policy) return fail(policyNotFound(arn));
    if (policy.aws != nullptr) {
      if (version_id != policy.aws->default_version_id) return fail(policyVersionNotFound(arn, version_id));
      return json{{"PolicyVersion", awsVersionToJson(*policy.aws, true)}};
    }
    auto it = findVersion(*policy.customer, version_id);
    if (it == policy.customer->versions.end()) return fail(policyVersionNotFound(arn, version_id));
    return json{{"PolicyVersion", versionToJson(*policy.customer, *it, true)}};
  });

  table.add("iam", "ListPolicyVersions", [&store](const Call& call, const json& input) -> Result<json> {
    const std::string arn = inputString(input, "PolicyArn");
    std::shared_lock lock(store.mutex());
    const store::Account* account = store.findAccount(call.caller.account_id);
    const PolicyRef policy = findPolicy(account, arn);
    if (!policy) return fail(policyNotFound(arn));
    json out = json::object();
    if (policy.aws != nullptr) {
      out["Versions"] = json::array({awsVersionToJson(*policy.aws, false)});
      out["IsTruncated"] = false;
      return out;
    }
    // Newest first, as AWS lists them; the Marker is the next version's id.
    std::vector<const store::PolicyVersion*> versions;
    for (auto it = policy.customer->versions.rbegin(); it != policy.customer->versions.rend(); ++it)
      versions.push_back(&*it);
    std::size_t start = 0;
    if (auto marker = input.find("Marker"); marker != input.end() && marker->is_string()) {
      auto it = std::find_if(versions.begin(), versions.end(),
                             [&](const auto* v) { return v->version_id == marker->get_ref<const std::string&>(); });
      start = static_cast<std::size_t>(it - versions.begin());
    }
    const std::size_t max_items = maxItems(input);
    json list = json::array();
    std::size_t i = start;
    for (; i < versions.size() && list.size() < max_items; ++i)
      list.push_back(versionToJson(*policy.customer, *versions[i], false));
    out["Versions"] = std::move(list);
    out["IsTruncated"] = i < versions.size();
    if (i < versions.size()) out["Marker"] = versions[i]->version_id;
    return out;
  });

  table.add("iam", "DeletePolicyVersion", [&store](const Call& call, const json& input) -> Result<json> {
    const std::string arn = inputString(input, "PolicyArn");
    if (store::isAwsManagedPolicyArn(arn)) return fail(awsPolicyAccessDenied(call, arn));
    const std::string version_id = inputString(input, "VersionId");
    std::unique_lock lock(store.mutex());
    auto& account = store.account(call.caller.account_id);
    store::ManagedPolicy* policy = findCustomerPolicy(account, arn);
    if (policy == nullptr) return fail(policyNotFound(arn));
    auto it = findVersion(*policy, version_id);
    if (it == policy->versions.end()) return fail(policyVersionNotFound(arn, version_id));
    // "You cannot delete the default version" (DeletePolicyVersion docs).
    if (it->version_id == policy->default_version_id)
      return fail(ErrorCode::DeleteConflict, "Cannot delete the default version of a policy.");
    policy->versions.erase(it);
    return json::object();
  });

  table.add("iam", "SetDefaultPolicyVersion", [&store](const Call& call, const json& input) -> Result<json> {
    const std::string arn = inputString(input, "PolicyArn");
    if (store::isAwsManagedPolicyArn(arn)) return fail(awsPolicyAccessDenied(call, arn));
    const std::string version_id = inputString(input, "VersionId");
    std::unique_lock lock(store.mutex());
    auto& account = store.account(call.caller.account_id);
    store::ManagedPolicy* policy = findCustomerPolicy(account, arn);
    if (policy == nullptr) return fail(policyNotFound(arn));
    auto it = findVersion(*policy, version_id);
    if (it == policy->versions.end()) return fail(policyVersionNotFound(arn, version_id));
    policy->default_version_id = it->version_id;
    return json::object();
  });
}

}  // namespace iamlocal::services::iam
