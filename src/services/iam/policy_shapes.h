// What the policy operation families share: the policy-document check every
// write goes through, resolving a policy ARN to a customer managed policy or
// a catalogue entry, AWS's error texts for policies, and the output shapes
// (Policy, PolicyVersion, AttachedPolicy, PolicyDetail).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "iamlocal/core/result.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/aws_managed_policies.h"
#include "iamlocal/store/store.h"
#include "identity_common.h"

namespace iamlocal::services::iam {

using nlohmann::json;

// Registration of each policy family; registerPolicyOperations calls them all.
void registerManagedPolicyOperations(OperationTable& table, store::Store& store);
void registerPolicyVersionOperations(OperationTable& table, store::Store& store);
void registerPolicyAttachmentOperations(OperationTable& table, store::Store& store);
void registerInlinePolicyOperations(OperationTable& table, store::Store& store);
void registerAuthorizationDetailsOperations(OperationTable& table, store::Store& store);
// SimulateCustomPolicy, SimulatePrincipalPolicy, GetContextKeysFor*Policy.
void registerPolicySimulatorOperations(OperationTable& table, store::Store& store);

// Where a policy document goes decides its size quota.
enum class PolicyKind { Managed, InlineUser, InlineGroup, InlineRole };

// The three principal kinds that hold policies differ only in their map,
// names, quotas and messages; the attachment and inline families are each
// written once over them.
struct UserKind {
  static constexpr std::string_view kName = "User";
  static constexpr std::string_view kLower = "user";
  static constexpr std::string_view kAttachQuota = "PoliciesPerUser";
  static constexpr PolicyKind kPolicyKind = PolicyKind::InlineUser;
  static auto& entities(store::Account& a) { return a.users; }
  static const auto& entities(const store::Account& a) { return a.users; }
  static Error notFound(std::string_view name) { return noSuchUser(name); }
  static Status checkModifiable(const store::User&) { return {}; }
};
struct GroupKind {
  static constexpr std::string_view kName = "Group";
  static constexpr std::string_view kLower = "group";
  static constexpr std::string_view kAttachQuota = "PoliciesPerGroup";
  static constexpr PolicyKind kPolicyKind = PolicyKind::InlineGroup;
  static auto& entities(store::Account& a) { return a.groups; }
  static const auto& entities(const store::Account& a) { return a.groups; }
  static Error notFound(std::string_view name) { return noSuchGroup(name); }
  static Status checkModifiable(const store::Group&) { return {}; }
};
struct RoleKind {
  static constexpr std::string_view kName = "Role";
  static constexpr std::string_view kLower = "role";
  static constexpr std::string_view kAttachQuota = "PoliciesPerRole";
  static constexpr PolicyKind kPolicyKind = PolicyKind::InlineRole;
  static auto& entities(store::Account& a) { return a.roles; }
  static const auto& entities(const store::Account& a) { return a.roles; }
  static Error notFound(std::string_view name) { return noSuchRole(name); }
  // Service-linked roles' permissions belong to the service.
  static Status checkModifiable(const store::Role& role) {
    if (isServiceLinkedRole(role)) return fail(protectedRole(role.name));
    return {};
  }
};

// The principal `name` of `Kind` about to change, or AWS's error for a
// missing or protected one.
template <typename Kind>
auto findForChange(store::Account& account, std::string_view name)
    -> Result<typename std::remove_reference_t<decltype(Kind::entities(account))>::mapped_type*> {
  auto& entities = Kind::entities(account);
  auto it = entities.find(name);
  if (it == entities.end()) return fail(Kind::notFound(name));
  IAMLOCAL_RETURN_IF_ERROR(Kind::checkModifiable(it->second));
  return &it->second;
}

// The principal `name` of `Kind` to read; `account` is null when nothing was
// written to it yet.
template <typename Kind>
auto findForRead(const store::Account* account, std::string_view name)
    -> Result<const typename std::remove_cvref_t<decltype(Kind::entities(*account))>::mapped_type*> {
  if (account == nullptr) return fail(Kind::notFound(name));
  const auto& entities = Kind::entities(*account);
  auto it = entities.find(name);
  if (it == entities.end()) return fail(Kind::notFound(name));
  return &it->second;
}

// The one check every policy document passes before it is stored. Today: it
// must be a JSON object (MalformedPolicyDocument) and within its
// kind's quota counted without whitespace. For inline kinds the quota is the
// principal's aggregate: `other_inline_chars` is what its other inline
// policies already use and `principal_name` names it in the message.
// The policy-grammar validator plugs in here.
Status checkPolicyDocument(PolicyKind kind, std::string_view text, std::string_view principal_name = {},
                           std::size_t other_inline_chars = 0);
// Characters of `text` that count towards a quota: all but whitespace, one
// per UTF-8 code point.
std::size_t policySizeWithoutWhitespace(std::string_view text);

// A managed policy named by ARN: a customer managed policy of the caller's
// account or an AWS managed one from the catalogue (at most one is set).
template <typename Policy>
struct PolicyRefT {
  Policy* customer = nullptr;
  const store::AwsManagedPolicy* aws = nullptr;
  explicit operator bool() const { return customer != nullptr || aws != nullptr; }
};
using PolicyRef = PolicyRefT<const store::ManagedPolicy>;
using MutablePolicyRef = PolicyRefT<store::ManagedPolicy>;

// Resolves `arn` in `account` (may be null: nothing written yet). Customer
// policies match by the exact ARN, as AWS compares ARNs.
PolicyRef findPolicy(const store::Account* account, std::string_view arn);
store::ManagedPolicy* findCustomerPolicy(store::Account& account, std::string_view arn);

// The path ("/", "/service-role/") and name a policy ARN spells, without
// looking anything up; empty when `arn` is not a policy ARN.
struct PolicyArnParts {
  std::string_view path, name;
};
PolicyArnParts splitPolicyArn(std::string_view arn);

// AWS's texts.
Error policyNotFound(std::string_view arn);       // NoSuchEntity "Policy ARN was not found."
Error policyNotAttachable(std::string_view arn);  // NoSuchEntity "Policy ARN does not exist or is not attachable."
Error policyVersionNotFound(std::string_view arn, std::string_view version_id);
// AWS managed policies belong to AWS's account: changing one is a
// cross-account write nobody is authorised for.
Error awsPolicyAccessDenied(const Call& call, std::string_view arn);

// The `Policy` shape. AttachmentCount and PermissionsBoundaryUsageCount come
// from `account` (per account, also for AWS managed policies). Description
// and Tags only in the Full view (GetPolicy, CreatePolicy), as ListPolicies
// documents that it omits them.
enum class PolicyView { Full, Listed };
json policyToJson(const store::Account* account, const PolicyRef& policy, PolicyView view);
int attachmentCount(const store::Account* account, std::string_view arn);
int boundaryUsageCount(const store::Account* account, std::string_view arn);

// {PolicyName, PolicyArn} for an attached policy.
json attachedPolicyToJson(std::string_view arn);
// [{PolicyName, PolicyDocument (URL-encoded)}] for an entity's inline policies.
json inlinePoliciesToJson(const store::ByName<store::StoredPolicy>& policies);
// [{PolicyName, PolicyArn}] in attach order.
json attachedPoliciesToJson(const std::vector<std::string>& arns);
// Every version of a policy, newest first, with its URL-encoded Document
// (GetAccountAuthorizationDetails' PolicyVersionList).
json policyVersionListToJson(const PolicyRef& policy);

// Marker/MaxItems pagination over several ordered sections listed one after
// the other (ListEntitiesForPolicy: groups, users, roles;
// GetAccountAuthorizationDetails: users, groups, roles, policies). The Marker
// is the section's tag followed by the key of the first entry of the next
// page, so each page starts with one lower_bound. Call walk() for every
// section in the same order on every page.
class SectionedPage {
 public:
  explicit SectionedPage(const json& input);

  template <typename Container, typename KeyOf, typename Keep, typename Render>
  void walk(char tag, const Container& items, KeyOf key_of, Keep keep, Render render) {
    if (full_) return;
    auto it = items.begin();
    if (skipping_) {
      if (tag != marker_tag_) return;
      skipping_ = false;
      it = items.lower_bound(marker_key_);
    }
    for (; it != items.end(); ++it) {
      if (!keep(*it)) continue;
      if (count_ == max_items_) {
        full_ = true;
        next_marker_ = std::string(1, tag);
        next_marker_.append(key_of(*it));
        return;
      }
      render(*it);
      ++count_;
    }
  }
  // Sets IsTruncated and Marker.
  void finish(json& output) const;

 private:
  std::size_t max_items_ = 100;
  std::size_t count_ = 0;
  bool skipping_ = false;
  bool full_ = false;
  char marker_tag_ = 0;
  std::string marker_key_;
  std::string next_marker_;
};

}  // namespace iamlocal::services::iam
