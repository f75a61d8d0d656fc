// What a service operation sees and returns. Handlers take the decoded,
// validated input tree of their operation (see protocol/model.h for its
// form) and return the output tree or an Error; they never see HTTP.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "iamlocal/auth/principal.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/core/result.h"

namespace iamlocal::services {

struct Call {
  std::string service;  // "iam", "sts", "ec2"
  std::string action;   // "CreateRole"
  std::string request_id;
  std::string region;
  std::string source_ip;
  auth::Principal caller;
  TimePoint now;
};

using OperationHandler = std::function<Result<nlohmann::json>(const Call&, const nlohmann::json& input)>;

// Operations by service and action name; filled at start-up, read-only after.
class OperationTable {
 public:
  void add(std::string_view service, std::string_view action, OperationHandler handler);
  const OperationHandler* find(std::string_view service, std::string_view action) const;
  std::size_t size() const { return handlers_.size(); }

 private:
  std::map<std::string, OperationHandler, std::less<>> handlers_;  // key "service:Action"
};

}  // namespace iamlocal::services
