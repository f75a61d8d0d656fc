#include "iamlocal/services/iam.h"

#include "operations.h"

namespace iamlocal::services {

void registerIamOperations(OperationTable& table, store::Store& store) {
  iam::registerIdentityOperations(table, store);
  iam::registerPolicyOperations(table, store);
}

namespace iam {

std::string entityArn(std::string_view account_id, std::string_view kind, std::string_view path,
                      std::string_view name) {
  std::string arn = "arn:aws:iam::";
  arn.append(account_id).append(":").append(kind).append("/");
  if (!path.empty()) arn.append(path.substr(1));
  arn.append(name);
  return arn;
}

std::string inputString(const json& input, std::string_view member, std::string_view fallback) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_string()) return std::string(fallback);
  return it->get<std::string>();
}

PathPrefix::PathPrefix(const json& input) {
  if (auto it = input.find("PathPrefix"); it != input.end() && it->is_string())
    prefix_ = it->get<std::string>();
}

}  // namespace iam
}  // namespace iamlocal::services
