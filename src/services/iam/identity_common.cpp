#include "identity_common.h"

#include <algorithm>

#include "iamlocal/core/strings.h"
#include "iamlocal/store/aws_managed_policies.h"

namespace iamlocal::services::iam {

namespace {
constexpr std::size_t kMaxTagsPerEntity = 50;
}

Error noSuchUser(std::string_view name) {
  return makeError(ErrorCode::NoSuchEntity, "The user with name " + std::string(name) + " cannot be found.");
}

Error noSuchGroup(std::string_view name) {
  return makeError(ErrorCode::NoSuchEntity, "The group with name " + std::string(name) + " cannot be found.");
}

Error noSuchRole(std::string_view name) {
  return makeError(ErrorCode::NoSuchEntity, "The role with name " + std::string(name) + " cannot be found.");
}

Error noSuchInstanceProfile(std::string_view name) {
  return makeError(ErrorCode::NoSuchEntity, "Instance Profile " + std::string(name) + " cannot be found.");
}

bool isServiceLinkedRole(const store::Role& role) { return startsWith(role.path, kServiceLinkedRolePath); }

Error protectedRole(std::string_view name) {
  return makeError(ErrorCode::UnmodifiableEntity, "Cannot perform the operation on the protected role '" +
                                                      std::string(name) + "' - this role is only modifiable by AWS");
}

Status mergeTags(store::TagList& target, const json& tags, std::string_view entity_kind) {
  if (!tags.is_array()) return {};
  // Validate the whole request before changing anything: AWS applies all of
  // the tags or none (TagUser/TagRole API reference, "the entire request fails").
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const std::string key = inputString(tags[i], "Key");
    // Keys are case-insensitive in IAM: a request naming one key twice is
    // refused ("Tagging IAM resources", IAM User Guide).
    for (std::size_t j = 0; j < i; ++j) {
      if (iequals(key, inputString(tags[j], "Key")))
        return fail(ErrorCode::InvalidInput, "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    }
    // The aws: prefix is reserved for AWS's own tags.
    if (startsWith(toLower(key), "aws:"))
      return fail(ErrorCode::InvalidInput, "Tag keys starting with 'aws:' are reserved for internal use");
  }
  std::size_t resulting = target.size();
  for (const auto& tag : tags) {
    const std::string key = inputString(tag, "Key");
    bool exists = std::any_of(target.begin(), target.end(), [&](const store::Tag& t) { return iequals(t.key, key); });
    if (!exists) ++resulting;
  }
  if (resulting > kMaxTagsPerEntity)
    return fail(ErrorCode::LimitExceeded,
                "Cannot exceed quota for TagsPer" + std::string(entity_kind) + ": " + std::to_string(kMaxTagsPerEntity));
  for (const auto& tag : tags) {
    std::string key = inputString(tag, "Key");
    std::string value = inputString(tag, "Value");
    auto it = std::find_if(target.begin(), target.end(), [&](const store::Tag& t) { return iequals(t.key, key); });
    if (it != target.end()) {
      // The new spelling of the key replaces the old one, as IAM does.
      it->key = std::move(key);
      it->value = std::move(value);
    } else {
      target.push_back(store::Tag{std::move(key), std::move(value)});
    }
  }
  return {};
}

void removeTags(store::TagList& target, const json& tag_keys) {
  if (!tag_keys.is_array()) return;
  std::erase_if(target, [&](const store::Tag& tag) {
    return std::any_of(tag_keys.begin(), tag_keys.end(),
                       [&](const json& key) { return key.is_string() && iequals(key.get_ref<const std::string&>(), tag.key); });
  });
}

json listTags(const store::TagList& tags, const json& input) {
  // ListUserTags/ListRoleTags: "The returned list of tags is sorted by tag key."
  std::vector<const store::Tag*> sorted;
  sorted.reserve(tags.size());
  for (const auto& tag : tags) sorted.push_back(&tag);
  std::sort(sorted.begin(), sorted.end(), [](const store::Tag* a, const store::Tag* b) { return a->key < b->key; });
  json output = json::object();
  paginateVector(sorted, input, output, "Tags",
                 [](const store::Tag* tag) { return json{{"Key", tag->key}, {"Value", tag->value}}; });
  return output;
}

Status checkBoundaryPolicy(const store::Account* account, std::string_view arn) {
  constexpr std::string_view kIamArnPrefix = "arn:aws:iam::";
  const auto not_valid = [&] { return fail(ErrorCode::InvalidInput, "ARN " + std::string(arn) + " is not valid."); };
  if (!startsWith(arn, kIamArnPrefix)) return not_valid();
  std::string_view rest = arn.substr(kIamArnPrefix.size());
  auto colon = rest.find(':');
  if (colon == std::string_view::npos || !startsWith(rest.substr(colon + 1), "policy/")) return not_valid();
  const auto missing = [&] {
    return fail(ErrorCode::NoSuchEntity, "Policy " + std::string(arn) + " does not exist or is not attachable.");
  };
  if (store::isAwsManagedPolicyArn(arn)) {
    if (store::findAwsManagedPolicy(arn) == nullptr) return missing();
    return {};
  }
  if (account == nullptr) return missing();
  auto name = arn.substr(arn.rfind('/') + 1);
  auto it = account->policies.find(name);
  if (it == account->policies.end() || it->second.arn != arn) return missing();
  return {};
}

void setBoundary(store::Account& account, std::string& boundary_field, std::string_view arn) {
  if (boundary_field == arn) return;
  if (!boundary_field.empty()) {
    auto it = account.boundary_counts.find(boundary_field);
    if (it != account.boundary_counts.end() && --it->second <= 0) account.boundary_counts.erase(it);
  }
  boundary_field = arn;
  if (!boundary_field.empty()) ++account.boundary_counts[boundary_field];
}

std::size_t maxItems(const json& input) {
  if (auto it = input.find("MaxItems"); it != input.end() && it->is_number_integer()) {
    auto value = it->get<long long>();
    if (value > 0) return static_cast<std::size_t>(value);
  }
  return 100;
}

bool callerIsRoot(const Call& call) { return call.caller.type == auth::PrincipalType::Root; }

Result<std::string> callerUserName(const Call& call) {
  if (call.caller.type == auth::PrincipalType::User) return call.caller.name;
  return fail(ErrorCode::ValidationError, "Must specify userName when calling with non-User credentials");
}

void registerIdentityOperations(OperationTable& table, store::Store& store) {
  registerUserOperations(table, store);
  registerGroupOperations(table, store);
  registerRoleOperations(table, store);
  registerServiceLinkedRoleOperations(table, store);
  registerInstanceProfileOperations(table, store);
  registerAccessKeyOperations(table, store);
  registerAccountOperations(table, store);
  registerMfaOperations(table, store);
}

}  // namespace iamlocal::services::iam
