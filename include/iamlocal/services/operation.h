// What a service operation sees and returns. Handlers take the decoded,
// validated input tree of their operation (see protocol/model.h for its
// form) and return the output tree or an Error; they never see HTTP.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "iamlocal/auth/principal.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/core/result.h"
#include "iamlocal/policy/evaluator.h"

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

// Makes `out` an empty object and returns its map, for outputs built member
// by member (emplace_hint in key order appends): nlohmann's initializer-list
// form builds a two-element array per member and copies every value more
// than once, which the hot operations and listed entities cannot afford.
inline nlohmann::json::object_t& newObject(nlohmann::json& out) {
  out = nlohmann::json::object();
  return out.get_ref<nlohmann::json::object_t&>();
}

// One permission a request needs, as AWS's Service Authorization Reference
// lists it for the operation: an action on a resource, with the condition
// keys this request sets for it (aws:RequestTag/..., iam:PassedToService...).
struct AccessCheck {
  std::string action;    // "iam:CreateUser"
  std::string resource;  // an ARN, or "*" for actions without a resource type
  std::vector<policy::ContextEntry> context;
};

// The request-tag keys of the tags an input object (a request, or an EC2
// tag specification) sets in its "Tags" member, a list of {"Key", "Value"}:
// aws:RequestTag/<key> for each, and aws:TagKeys listing them all. Without
// such a list nothing is added.
void appendRequestTags(const nlohmann::json& input, std::vector<policy::ContextEntry>& context);
// Whether that "Tags" list holds at least one tag (which then needs the
// tagging permission too: iam:Tag*, sts:TagSession).
bool setsTags(const nlohmann::json& input);

// Appends the checks one request needs, from its decoded input (an
// operation may need several, e.g. RunInstances with a profile also needs
// iam:PassRole). It may read the store, taking its mutex shared itself.
using AccessDescriber = std::function<void(const Call&, const nlohmann::json& input, std::vector<AccessCheck>& out)>;

// Operations by service and action name; filled at start-up, read-only after.
class OperationTable {
 public:
  void add(std::string_view service, std::string_view action, OperationHandler handler);
  const OperationHandler* find(std::string_view service, std::string_view action) const;
  std::size_t size() const { return handlers_.size(); }

  // What an operation asks permission for; registered apart from handlers
  // so each service keeps its whole access table in one place.
  void setAccess(std::string_view service, std::string_view action, AccessDescriber describer);
  const AccessDescriber* findAccess(std::string_view service, std::string_view action) const;

 private:
  std::map<std::string, OperationHandler, std::less<>> handlers_;  // key "service:Action"
  std::map<std::string, AccessDescriber, std::less<>> access_;     // key "service:Action"
};

}  // namespace iamlocal::services
