// Tags of IAM entities, written once: IAM's tag rules (case-insensitive keys,
// reserved aws: prefix, 50 per entity) and the Tag<X>, Untag<X> and
// List<X>Tags family, which each taggable kind registers by saying only how
// its input names an entity and how to find it.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "iamlocal/core/result.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::iam {

// Merges `tags` (the input's Tags array of {Key, Value}) into `target` as the
// Tag* operations and Create* do: keys compare case-insensitively, an existing
// key takes the new key spelling and value, at most 50 tags per entity. All
// of the tags are applied or none. `entity_kind` names the quota
// ("User" -> "TagsPerUser").
Status mergeTags(store::TagList& target, const nlohmann::json& tags, std::string_view entity_kind);

// One kind of taggable entity.
struct TaggableKind {
  // "User": the operations TagUser, UntagUser and ListUserTags, and the quota
  // TagsPerUser.
  std::string_view name;
  // The input member naming the entity ("UserName", "SerialNumber", ...).
  std::string_view key_member;
  // Refusals of Tag/Untag that need no state, checked before the store is
  // locked (AWS managed policies belong to AWS); null when there are none.
  Status (*check_writable)(const Call& call, std::string_view key);
  // The entity's tags to change, or AWS's error for a missing one; runs
  // under the store's exclusive lock.
  Result<store::TagList*> (*find_for_change)(store::Account& account, std::string_view key);
  // Its tags to read; `account` is null when nothing was written to it yet.
  // Runs under the shared lock.
  Result<const store::TagList*> (*find_for_read)(const store::Account* account, std::string_view key);
};

// A kind whose entities are the account map `kEntities` (e.g.
// &Account::users) keyed by the input's `key_member`, missing ones answered
// with `kNotFound(key)`.
template <auto kEntities, Error (*kNotFound)(std::string_view)>
constexpr TaggableKind accountMapTaggableKind(std::string_view name, std::string_view key_member) {
  return TaggableKind{
      name,
      key_member,
      nullptr,
      [](store::Account& account, std::string_view key) -> Result<store::TagList*> {
        auto& entities = account.*kEntities;
        auto it = entities.find(key);
        if (it == entities.end()) return fail(kNotFound(key));
        return &it->second.tags;
      },
      [](const store::Account* account, std::string_view key) -> Result<const store::TagList*> {
        if (account == nullptr) return fail(kNotFound(key));
        const auto& entities = account->*kEntities;
        auto it = entities.find(key);
        if (it == entities.end()) return fail(kNotFound(key));
        return &it->second.tags;
      },
  };
}

// Registers Tag<name>, Untag<name> and List<name>Tags for `kind`:
// - Tag merges the input's Tags (mergeTags: AWS's InvalidInput and
//   LimitExceeded texts, nothing changed on refusal);
// - Untag removes the keys of TagKeys ignoring case (absent keys ignored);
// - List returns the tags sorted by key, paginated by Marker/MaxItems.
// An unknown entity is the kind's own error in all three.
void registerTagOperations(OperationTable& table, store::Store& store, const TaggableKind& kind);

}  // namespace iamlocal::services::iam
