// Registration of the STS operations that live in their own files; called
// by registerStsOperations (sts.cpp).
#pragma once

#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::sts {

void registerFederationTokenOperation(OperationTable& table, store::Store& store);      // federation_token.cpp
void registerAssumeRootOperation(OperationTable& table, store::Store& store);           // assume_root.cpp
void registerDecodeAuthorizationMessageOperation(OperationTable& table);                // decode_authorization_message.cpp

}  // namespace iamlocal::services::sts
