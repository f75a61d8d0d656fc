#include "iamlocal/services/operation.h"

#include "iamlocal/core/strings.h"

namespace iamlocal::services {
namespace {

std::string keyOf(std::string_view service, std::string_view action) {
  std::string key;
  key.reserve(service.size() + action.size() + 1);
  key.append(service).append(":").append(action);
  return key;
}

}  // namespace

void OperationTable::add(std::string_view service, std::string_view action, OperationHandler handler) {
  handlers_[keyOf(service, action)] = std::move(handler);
}

const OperationHandler* OperationTable::find(std::string_view service, std::string_view action) const {
  auto it = handlers_.find(keyOf(service, action));
  return it == handlers_.end() ? nullptr : &it->second;
}

void OperationTable::setAccess(std::string_view service, std::string_view action, AccessDescriber describer) {
  access_[keyOf(service, action)] = std::move(describer);
}

const AccessDescriber* OperationTable::findAccess(std::string_view service, std::string_view action) const {
  auto it = access_.find(keyOf(service, action));
  return it == access_.end() ? nullptr : &it->second;
}

void appendRequestTags(const nlohmann::json& input, std::vector<policy::ContextEntry>& context) {
  auto tags = input.find("Tags");
  if (tags == input.end() || !tags->is_array()) return;
  policy::ContextEntry keys{"aws:tagkeys", policy::ContextKeyType::StringList, {}};
  for (const auto& t : *tags) {
    if (!t.is_object()) continue;
    std::string key = t.value("Key", std::string());
    context.push_back(policy::ContextEntry{"aws:requesttag/" + toLower(key), policy::ContextKeyType::String,
                                           {t.value("Value", std::string())}});
    keys.values.push_back(std::move(key));
  }
  context.push_back(std::move(keys));
}

bool setsTags(const nlohmann::json& input) {
  auto tags = input.find("Tags");
  return tags != input.end() && tags->is_array() && !tags->empty();
}

}  // namespace iamlocal::services
