// Helpers shared by the identity operation families (users, groups, roles,
// instance profiles, access keys, account): AWS's not-found messages,
// permissions-boundary checks and pagination over name sets and vectors
// (tags: tagging.h).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "iamlocal/core/result.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"
#include "operations.h"

namespace iamlocal::services::iam {

// Registration of each family; registerIdentityOperations calls them all.
void registerUserOperations(OperationTable& table, store::Store& store);
void registerGroupOperations(OperationTable& table, store::Store& store);
void registerRoleOperations(OperationTable& table, store::Store& store);
void registerServiceLinkedRoleOperations(OperationTable& table, store::Store& store);
void registerInstanceProfileOperations(OperationTable& table, store::Store& store);
void registerAccessKeyOperations(OperationTable& table, store::Store& store);
void registerAccountOperations(OperationTable& table, store::Store& store);
void registerMfaOperations(OperationTable& table, store::Store& store);  // identity_mfa.cpp

// AWS's NoSuchEntity texts.
Error noSuchUser(std::string_view name);             // "The user with name X cannot be found."
Error noSuchGroup(std::string_view name);            // "The group with name X cannot be found."
Error noSuchRole(std::string_view name);             // "The role with name X cannot be found."
Error noSuchInstanceProfile(std::string_view name);  // "Instance Profile X cannot be found."

// Service-linked roles live under this path; only AWS may change them.
inline constexpr std::string_view kServiceLinkedRolePath = "/aws-service-role/";
bool isServiceLinkedRole(const store::Role& role);
// UnmodifiableEntity "Cannot perform the operation on the protected role 'X' -
// this role is only modifiable by AWS".
Error protectedRole(std::string_view name);

// Checks that `arn` names a policy usable as a permissions boundary: an
// existing customer managed policy of `account` or an AWS managed policy.
Status checkBoundaryPolicy(const store::Account* account, std::string_view arn);
// Sets (empty `arn`: clears) an entity's boundary and keeps
// account.boundary_counts in step.
void setBoundary(store::Account& account, std::string& boundary_field, std::string_view arn);

// MaxItems of the input (default 100).
std::size_t maxItems(const json& input);

// Marker/MaxItems pagination over an ordered set of names (or any ordered
// container of keys): the Marker is the first key of the next page.
template <typename Set, typename Keep, typename Render>
void paginateKeys(const Set& keys, const json& input, json& output, std::string_view list_member, Keep keep,
                  Render render) {
  const std::size_t max_items = maxItems(input);
  auto it = keys.begin();
  if (auto marker = input.find("Marker"); marker != input.end() && marker->is_string())
    it = keys.lower_bound(marker->template get<std::string>());
  json list = json::array();
  for (; it != keys.end(); ++it) {
    if (!keep(*it)) continue;
    if (list.size() == max_items) break;
    list.push_back(render(*it));
  }
  while (it != keys.end() && !keep(*it)) ++it;
  output[std::string(list_member)] = std::move(list);
  output["IsTruncated"] = it != keys.end();
  if (it != keys.end()) output["Marker"] = std::string(*it);
}

// The same over a vector in its own order; the Marker is the index (decimal)
// of the first item of the next page.
template <typename Vector, typename Render>
void paginateVector(const Vector& items, const json& input, json& output, std::string_view list_member,
                    Render render) {
  const std::size_t max_items = maxItems(input);
  std::size_t start = 0;
  if (auto marker = input.find("Marker"); marker != input.end() && marker->is_string()) {
    const auto& text = marker->template get_ref<const std::string&>();
    start = 0;
    for (char c : text) {
      if (c < '0' || c > '9') {
        start = items.size();
        break;
      }
      start = start * 10 + static_cast<std::size_t>(c - '0');
      if (start > items.size()) break;
    }
  }
  json list = json::array();
  std::size_t i = std::min(start, items.size());
  for (; i < items.size() && list.size() < max_items; ++i) list.push_back(render(items[i]));
  output[std::string(list_member)] = std::move(list);
  output["IsTruncated"] = i < items.size();
  if (i < items.size()) output["Marker"] = std::to_string(i);
}

// The calling IAM user's name for operations whose UserName defaults to the
// caller. Callers check callerIsRoot first (the root has no IAM user); role
// and federated sessions get AWS's ValidationError "Must specify userName when
// calling with non-User credentials".
Result<std::string> callerUserName(const Call& call);
bool callerIsRoot(const Call& call);

}  // namespace iamlocal::services::iam
