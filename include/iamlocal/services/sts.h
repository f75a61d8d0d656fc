// The STS service: registers GetCallerIdentity, GetSessionToken, AssumeRole,
// GetAccessKeyInfo and DecodeAuthorizationMessage. Temporary credentials are
// kept in the store, through which later requests signed with them are
// authenticated and identified.
#pragma once

#include <string>

#include "iamlocal/auth/principal.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services {

struct StsOptions {
  // The account GetAccessKeyInfo names for a key it cannot attribute.
  std::string default_account_id = "000000000000";
};

// `credentials` is every key the process knows (configured roots, IAM users'
// keys, sessions): GetAccessKeyInfo answers from it.
void registerStsOperations(OperationTable& table, store::Store& store, const auth::CredentialSource& credentials,
                           StsOptions options = {});

}  // namespace iamlocal::services
