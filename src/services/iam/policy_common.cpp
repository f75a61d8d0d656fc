#include <string>

#include "iamlocal/core/clock.h"
#include "iamlocal/core/strings.h"
#include "iamlocal/policy/validator.h"
#include "identity_common.h"
#include "operations.h"
#include "policy_shapes.h"
#include "shapes.h"

namespace iamlocal::services::iam {

void registerPolicyOperations(OperationTable& table, store::Store& store) {
  registerManagedPolicyOperations(table, store);
  registerPolicyVersionOperations(table, store);
  registerPolicyAttachmentOperations(table, store);
  registerInlinePolicyOperations(table, store);
  registerAuthorizationDetailsOperations(table, store);
  registerPolicySimulatorOperations(table, store);
}

namespace {

// IAM quotas on policy size, in characters without whitespace
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
// a managed policy 6,144; a user's inline policies together 2,048, a group's
// 5,120, a role's 10,240.
constexpr std::size_t kManagedPolicySize = 6144;
constexpr std::size_t kUserInlineSize = 2048;
constexpr std::size_t kGroupInlineSize = 5120;
constexpr std::size_t kRoleInlineSize = 10240;

bool isJsonWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::size_t policySizeWithoutWhitespace(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (isJsonWhitespace(c) || (byte & 0xC0) == 0x80) continue;  // continuation bytes are not characters
    ++n;
  }
  return n;
}

Status checkPolicyDocument(PolicyKind kind, std::string_view text, std::string_view principal_name,
                           std::size_t other_inline_chars) {
  // For permissions policies AWS answers "Syntax errors in policy." both to
  // text that is not JSON (e.g. a trailing comma, or a file name passed
  // without file://) and to JSON that is not a policy object ("null"); the
  // "This policy contains invalid Json" text belongs to trust policies
  // (CreateRole), which are not checked here.
  std::size_t i = 0;
  while (i < text.size() && isJsonWhitespace(text[i])) ++i;
  if (i == text.size() || text[i] != '{' || !json::accept(text))
    return fail(ErrorCode::MalformedPolicyDocument, "Syntax errors in policy.");

  const std::size_t size = policySizeWithoutWhitespace(text);
  switch (kind) {
    case PolicyKind::Managed:
      if (size > kManagedPolicySize)
        return fail(ErrorCode::LimitExceeded, "Cannot exceed quota for PolicySize: " + std::to_string(kManagedPolicySize));
      break;
    case PolicyKind::InlineUser:
    case PolicyKind::InlineGroup:
    case PolicyKind::InlineRole: {
      const std::size_t limit = kind == PolicyKind::InlineUser    ? kUserInlineSize
                                : kind == PolicyKind::InlineGroup ? kGroupInlineSize
                                                                  : kRoleInlineSize;
      const char* entity = kind == PolicyKind::InlineUser ? "user" : kind == PolicyKind::InlineGroup ? "group" : "role";
      // The quota is the principal's aggregate, e.g. "Maximum policy size of
      // 2048 bytes exceeded for user bob" (AWS's text).
      if (size + other_inline_chars > limit)
        return fail(ErrorCode::LimitExceeded, "Maximum policy size of " + std::to_string(limit) +
                                                  " bytes exceeded for " + entity + " " + std::string(principal_name));
      break;
    }
  }
  // The policy grammar (identity-based: no Principal), with AWS's messages.
  return ::iamlocal::policy::validatePolicyDocument(::iamlocal::policy::PolicyKind::Identity, text);
}

PolicyArnParts splitPolicyArn(std::string_view arn) {
  // arn:aws:iam::<account>:policy<path><name>
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  if (!arn.starts_with(kPrefix)) return {};
  const auto colon = arn.find(':', kPrefix.size());
  if (colon == std::string_view::npos) return {};
  std::string_view resource = arn.substr(colon + 1);
  if (!resource.starts_with("policy/")) return {};
  resource.remove_prefix(6);  // keep the leading '/' of the path
  const auto last = resource.rfind('/');
  if (last + 1 >= resource.size()) return {};
  return {resource.substr(0, last + 1), resource.substr(last + 1)};
}

namespace {

template <typename Account>
auto findCustomerIn(Account& account, std::string_view arn) -> decltype(&account.policies.begin()->second) {
  const auto parts = splitPolicyArn(arn);
  if (parts.name.empty()) return nullptr;
  auto it = account.policies.find(parts.name);
  if (it == account.policies.end() || it->second.arn != arn) return nullptr;
  return &it->second;
}

}  // namespace

PolicyRef findPolicy(const store::Account* account, std::string_view arn) {
  PolicyRef ref;
  if (store::isAwsManagedPolicyArn(arn)) {
    ref.aws = store::findAwsManagedPolicy(arn);
  } else if (account != nullptr) {
    ref.customer = findCustomerIn(*account, arn);
  }
  return ref;
}

store::ManagedPolicy* findCustomerPolicy(store::Account& account, std::string_view arn) {
  return findCustomerIn(account, arn);
}

Error policyNotFound(std::string_view arn) {
  return makeError(ErrorCode::NoSuchEntity, "Policy " + std::string(arn) + " was not found.");
}

Error policyNotAttachable(std::string_view arn) {
  return makeError(ErrorCode::NoSuchEntity, "Policy " + std::string(arn) + " does not exist or is not attachable.");
}

Error policyVersionNotFound(std::string_view arn, std::string_view version_id) {
  return makeError(ErrorCode::NoSuchEntity, "Policy " + std::string(arn) + " version " + std::string(version_id) +
                                                " does not exist or is not attachable.");
}

Error awsPolicyAccessDenied(const Call& call, std::string_view arn) {
  std::string who = call.caller.arn.empty() ? "arn:aws:iam::" + call.caller.account_id + ":root" : call.caller.arn;
  return makeError(ErrorCode::AccessDenied, "User: " + who + " is not authorized to perform: iam:" + call.action +
                                                " on resource: policy " + std::string(arn));
}

int attachmentCount(const store::Account* account, std::string_view arn) {
  if (account == nullptr) return 0;
  auto it = account->attachment_counts.find(arn);
  return it == account->attachment_counts.end() ? 0 : it->second;
}

int boundaryUsageCount(const store::Account* account, std::string_view arn) {
  if (account == nullptr) return 0;
  auto it = account->boundary_counts.find(arn);
  return it == account->boundary_counts.end() ? 0 : it->second;
}

json policyToJson(const store::Account* account, const PolicyRef& policy, PolicyView view) {
  json out = json::object();
  if (policy.aws != nullptr) {
    const auto& p = *policy.aws;
    out["PolicyName"] = p.name;
    out["PolicyId"] = p.id;
    out["Arn"] = p.arn;
    out["Path"] = p.path;
    out["DefaultVersionId"] = p.default_version_id;
    out["AttachmentCount"] = attachmentCount(account, p.arn);
    out["PermissionsBoundaryUsageCount"] = boundaryUsageCount(account, p.arn);
    out["IsAttachable"] = !p.deprecated;
    out["CreateDate"] = p.create_date;
    out["UpdateDate"] = p.update_date;
    return out;
  }
  const auto& p = *policy.customer;
  out["PolicyName"] = p.name;
  out["PolicyId"] = p.id;
  out["Arn"] = p.arn;
  out["Path"] = p.path;
  out["DefaultVersionId"] = p.default_version_id;
  out["AttachmentCount"] = attachmentCount(account, p.arn);
  out["PermissionsBoundaryUsageCount"] = boundaryUsageCount(account, p.arn);
  out["IsAttachable"] = true;
  out["CreateDate"] = formatIso8601(p.create_date);
  out["UpdateDate"] = formatIso8601(p.update_date);
  if (view == PolicyView::Full) {
    if (!p.description.empty()) out["Description"] = p.description;
    if (!p.tags.empty()) out["Tags"] = tagsToJson(p.tags);
  }
  return out;
}

json attachedPolicyToJson(std::string_view arn) {
  return {{"PolicyName", std::string(splitPolicyArn(arn).name)}, {"PolicyArn", std::string(arn)}};
}

json inlinePoliciesToJson(const store::ByName<store::StoredPolicy>& policies) {
  json list = json::array();
  for (const auto& [name, policy] : policies)
    list.push_back({{"PolicyName", name}, {"PolicyDocument", uriEncode(policy.text)}});
  return list;
}

json attachedPoliciesToJson(const std::vector<std::string>& arns) {
  json list = json::array();
  for (const auto& arn : arns) list.push_back(attachedPolicyToJson(arn));
  return list;
}

}  // namespace iamlocal::services::iam

namespace iamlocal::services::iam {

SectionedPage::SectionedPage(const json& input) : max_items_(maxItems(input)) {
  if (auto marker = input.find("Marker"); marker != input.end() && marker->is_string()) {
    const auto& text = marker->get_ref<const std::string&>();
    skipping_ = true;
    marker_tag_ = text.empty() ? 0 : text[0];
    marker_key_ = text.empty() ? std::string() : text.substr(1);
  }
}

void SectionedPage::finish(json& output) const {
  output["IsTruncated"] = full_;
  if (full_) output["Marker"] = next_marker_;
}

}  // namespace iamlocal::services::iam
