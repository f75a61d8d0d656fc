// The IAM operation families, each registered by its own file, and the
// helpers every family shares (pagination, paths, ARNs, locking).
#pragma once

#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "iamlocal/core/result.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::iam {

using nlohmann::json;

// Users, groups, roles, instance profiles, access keys, tags, boundaries,
// aliases, account summary, service-linked roles.
void registerIdentityOperations(OperationTable& table, store::Store& store);
// Managed policies and versions, attach/detach, inline policies,
// ListEntitiesForPolicy, GetAccountAuthorizationDetails.
void registerPolicyOperations(OperationTable& table, store::Store& store);

// "arn:aws:iam::ACCT:<kind>/<path without leading slash><name>", e.g.
// entityArn("123456789012", "role", "/app/", "Web") = "...:role/app/Web".
std::string entityArn(std::string_view account_id, std::string_view kind, std::string_view path,
                      std::string_view name);

// The ARN CreateServiceLinkedRole gives the role of `service`
// ("...:role/aws-service-role/<service>/AWSServiceRoleFor...[_<suffix>]"),
// or "" when `service` is not a valid <service>.amazonaws.com name.
std::string serviceLinkedRoleArn(std::string_view account_id, std::string_view service, std::string_view suffix);

// A string member of the input, or `fallback` when absent.
std::string inputString(const json& input, std::string_view member, std::string_view fallback = {});

// Marker/MaxItems pagination over an ordered map, as every IAM List* does:
// items from the one named by Marker (the key the previous page stopped at),
// at most MaxItems (default 100), IsTruncated and Marker set in `output`.
// `keep` filters entries (e.g. PathPrefix), `render` turns one into json.
template <typename Map, typename Keep, typename Render>
void paginate(const Map& items, const json& input, json& output, std::string_view list_member, Keep keep,
              Render render) {
  std::size_t max_items = 100;
  if (auto it = input.find("MaxItems"); it != input.end() && it->is_number_integer())
    max_items = it->template get<std::size_t>();
  auto it = items.begin();
  if (auto marker = input.find("Marker"); marker != input.end() && marker->is_string())
    it = items.lower_bound(marker->template get<std::string>());
  json list = json::array();
  for (; it != items.end(); ++it) {
    if (!keep(it->second)) continue;
    if (list.size() == max_items) break;
    list.push_back(render(it->second));
  }
  // Truncated only when a further kept entry exists.
  while (it != items.end() && !keep(it->second)) ++it;
  output[std::string(list_member)] = std::move(list);
  output["IsTruncated"] = it != items.end();
  if (it != items.end()) output["Marker"] = it->first;
}

// The input's PathPrefix, read once per request (listings test it for every
// entity): matches paths that start with it, or every path when absent.
class PathPrefix {
 public:
  explicit PathPrefix(const json& input);
  bool matches(std::string_view path) const { return startsWith(path, prefix_); }

 private:
  std::string prefix_;
};

}  // namespace iamlocal::services::iam
