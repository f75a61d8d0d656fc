#include "session_tags.h"

#include <algorithm>

#include "iamlocal/core/strings.h"

namespace iamlocal::services::sts {
namespace {

using nlohmann::json;

bool containsIgnoringCase(const std::vector<std::string>& keys, std::string_view key) {
  return std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return iequals(k, key); });
}

Error invalidParameter(std::string message) { return makeError(ErrorCode::InvalidParameterValue, std::move(message)); }

}  // namespace

Result<SessionTagging> readSessionTags(const json& input, const store::Session* caller) {
  SessionTagging out;
  if (auto tags = input.find("Tags"); tags != input.end() && tags->is_array()) {
    for (const auto& t : *tags)
      out.requested.push_back({t.value("Key", std::string()), t.value("Value", std::string())});
  }
  if (auto keys = input.find("TransitiveTagKeys"); keys != input.end() && keys->is_array()) {
    for (const auto& k : *keys)
      if (k.is_string()) out.requested_transitive.push_back(k.get<std::string>());
  }

  std::vector<std::string> seen;
  for (const auto& tag : out.requested) {
    if (containsIgnoringCase(seen, tag.key))
      return fail(invalidParameter("Duplicate tag keys found. Please note that Tag keys are case insensitive."));
    seen.push_back(tag.key);
  }
  // What the calling session passes on is fixed for the rest of the chain.
  const std::vector<std::string> inherited_keys =
      caller != nullptr ? caller->transitive_tag_keys : std::vector<std::string>();
  for (const auto& tag : out.requested) {
    if (containsIgnoringCase(inherited_keys, tag.key))
      return fail(invalidParameter(
          "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key "
          "from the calling session."));
  }
  for (const auto& key : out.requested_transitive) {
    if (!containsIgnoringCase(seen, key))
      return fail(invalidParameter("The specified transitive tag key must be included in the requested tags."));
  }

  // The new session: the inherited transitive tags (still transitive), then
  // the requested ones.
  if (caller != nullptr) {
    for (const auto& tag : caller->tags) {
      if (!containsIgnoringCase(inherited_keys, tag.key)) continue;
      out.tags.push_back(tag);
      out.transitive_keys.push_back(tag.key);
    }
  }
  for (const auto& tag : out.requested) out.tags.push_back(tag);
  for (const auto& key : out.requested_transitive) {
    // Written in the tag's own spelling, so later chains compare like with like.
    auto tag = std::find_if(out.requested.begin(), out.requested.end(),
                            [&](const store::Tag& t) { return iequals(t.key, key); });
    if (!containsIgnoringCase(out.transitive_keys, key)) out.transitive_keys.push_back(tag->key);
  }
  return out;
}

Result<std::string> resolveSourceIdentity(const json& input, const store::Session* caller,
                                          const std::string& caller_arn, const std::string& role_arn) {
  const auto requested = input.find("SourceIdentity");
  const bool asked = requested != input.end() && requested->is_string();
  const std::string inherited = caller != nullptr ? caller->source_identity : std::string();
  if (!inherited.empty()) {
    // Set once, kept for the whole chain.
    if (asked && requested->get<std::string>() != inherited)
      return fail(ErrorCode::AccessDenied, "User: " + caller_arn +
                                               " is not authorized to perform: sts:SetSourceIdentity on resource: " +
                                               role_arn);
    return inherited;
  }
  return asked ? requested->get<std::string>() : std::string();
}

void appendTagContext(const SessionTagging& tagging, std::vector<policy::ContextEntry>& out) {
  if (!tagging.requested.empty()) {
    policy::ContextEntry keys{"aws:tagkeys", policy::ContextKeyType::StringList, {}};
    for (const auto& tag : tagging.requested) {
      out.push_back({toLower("aws:RequestTag/" + tag.key), policy::ContextKeyType::String, {tag.value}});
      keys.values.push_back(tag.key);
    }
    out.push_back(std::move(keys));
  }
  if (!tagging.requested_transitive.empty())
    out.push_back({"sts:transitivetagkeys", policy::ContextKeyType::StringList, tagging.requested_transitive});
}

}  // namespace iamlocal::services::sts
