// The IAM service: registers every IAM operation's handler.
#pragma once

#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services {

void registerIamOperations(OperationTable& table, store::Store& store);

}  // namespace iamlocal::services
