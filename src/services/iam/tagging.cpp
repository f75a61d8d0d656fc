#include "tagging.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "iamlocal/core/strings.h"
#include "identity_common.h"

namespace iamlocal::services::iam {

namespace {
constexpr std::size_t kMaxTagsPerEntity = 50;
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

namespace {

// Removes the tags whose keys (case-insensitively) are listed in the input's
// TagKeys; absent keys are ignored, as AWS does.
void removeTags(store::TagList& target, const json& tag_keys) {
  if (!tag_keys.is_array()) return;
  std::erase_if(target, [&](const store::Tag& tag) {
    return std::any_of(tag_keys.begin(), tag_keys.end(),
                       [&](const json& key) { return key.is_string() && iequals(key.get_ref<const std::string&>(), tag.key); });
  });
}

// The List*Tags output: tags sorted by key, paginated by Marker/MaxItems.
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

// Runs `change` on the tags of the entity the input names, under the
// exclusive lock; the output of Tag* and Untag* is empty.
template <typename Change>
Result<json> changeTags(store::Store& store, const TaggableKind& kind, const Call& call, const json& input,
                        Change change) {
  const std::string key = inputString(input, kind.key_member);
  if (kind.check_writable != nullptr) IAMLOCAL_RETURN_IF_ERROR(kind.check_writable(call, key));
  std::unique_lock lock(store.mutex());
  IAMLOCAL_ASSIGN_OR_RETURN(store::TagList * tags, kind.find_for_change(store.account(call.caller.account_id), key));
  IAMLOCAL_RETURN_IF_ERROR(change(*tags));
  return json::object();
}

}  // namespace

void registerTagOperations(OperationTable& table, store::Store& store, const TaggableKind& kind) {
  const std::string name(kind.name);
  table.add("iam", "Tag" + name, [&store, kind](const Call& call, const json& input) {
    return changeTags(store, kind, call, input, [&](store::TagList& tags) {
      return mergeTags(tags, input.value("Tags", json::array()), kind.name);
    });
  });
  table.add("iam", "Untag" + name, [&store, kind](const Call& call, const json& input) {
    return changeTags(store, kind, call, input, [&](store::TagList& tags) -> Status {
      removeTags(tags, input.value("TagKeys", json::array()));
      return {};
    });
  });
  table.add("iam", "List" + name + "Tags", [&store, kind](const Call& call, const json& input) -> Result<json> {
    const std::string key = inputString(input, kind.key_member);
    std::shared_lock lock(store.mutex());
    IAMLOCAL_ASSIGN_OR_RETURN(const store::TagList* tags,
                              kind.find_for_read(store.findAccount(call.caller.account_id), key));
    return listTags(*tags, input);
  });
}

}  // namespace iamlocal::services::iam
