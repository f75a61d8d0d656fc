#include "iamlocal/services/operation.h"

namespace iamlocal::services {

void OperationTable::add(std::string_view service, std::string_view action, OperationHandler handler) {
  handlers_[std::string(service) + ":" + std::string(action)] = std::move(handler);
}

const OperationHandler* OperationTable::find(std::string_view service, std::string_view action) const {
  std::string key;
  key.reserve(service.size() + action.size() + 1);
  key.append(service).append(":").append(action);
  auto it = handlers_.find(key);
  return it == handlers_.end() ? nullptr : &it->second;
}

}  // namespace iamlocal::services
