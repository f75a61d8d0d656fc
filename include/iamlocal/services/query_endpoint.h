// The AWS query-protocol front door (IAM, STS): turns an HTTP request into
// Action + parameters, picks the service and its model, names the caller,
// runs the registered operation handler and renders its output or error as
// the service does. It never sees a socket and never throws. Authentication
// (SigV4, per AuthMode) happens here, before the operation is decoded.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "iamlocal/auth/principal.h"
#include "iamlocal/auth/sigv4.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/http/message.h"
#include "iamlocal/protocol/model.h"
#include "iamlocal/services/operation.h"

namespace iamlocal::services {

// How much of a request's credentials is checked.
//   Accept:  the caller is named by the access key alone; signatures are not
//            checked (any secret works; unsigned requests act as the root of
//            the default account).
//   Verify:  every request needs a valid SigV4 signature by a known, active
//            key (and, for temporary credentials, its unexpired token).
//   Enforce, Soft: accepted as settings; until the policy engine is wired
//            into the request path they authenticate exactly like Verify and
//            authorize nothing beyond what the operations themselves check.
enum class AuthMode { Accept, Verify, Enforce, Soft };

// "accept", "verify", ...
std::string_view authModeName(AuthMode mode);

struct QueryEndpointConfig {
  std::string default_account_id = "000000000000";  // unsigned requests act as this account's root
  std::string region = "us-east-1";                 // when the credential scope names none
  AuthMode auth_mode = AuthMode::Accept;
  // Called for every request whose caller is an IAM user named by its
  // long-term key (GetAccessKeyLastUsed); may be empty.
  std::function<void(const auth::Principal& caller, std::string_view service, std::string_view region,
                     TimePoint when)>
      on_key_used = nullptr;
};

// Operations AWS serves without a signature: the credentials come from the
// identity provider's token or assertion in the request itself.
bool allowsUnsignedRequests(std::string_view service, std::string_view action);

// A service the endpoint can route to. The model is fetched on first use, so
// constructing an endpoint compiles nothing (start-up stays fast).
struct QueryService {
  std::string name;                           // credential-scope service and OperationTable key: "iam"
  const protocol::ServiceModel& (*model)();  // e.g. protocol::iamModel
};

// IAM and STS, in the order an Action is looked up when no scope names one.
std::vector<QueryService> defaultQueryServices();

class QueryEndpoint {
 public:
  QueryEndpoint(const OperationTable& operations, const auth::CredentialSource& credentials, const Clock& clock,
                QueryEndpointConfig config, std::vector<QueryService> services = defaultQueryServices());

  http::Response handle(const http::Request& request) const;

 private:
  http::Response dispatch(const http::Request& request, const std::string& request_id) const;
  const QueryService* serviceNamed(std::string_view name) const;
  // The caller of a request in this endpoint's auth mode, or the AWS error
  // that refuses it.
  Result<auth::Principal> authenticate(const http::Request& request, std::string_view service,
                                       std::string_view action, std::string_view access_key_id) const;

  const OperationTable& operations_;
  const auth::CredentialSource& credentials_;
  const Clock& clock_;
  QueryEndpointConfig config_;
  std::vector<QueryService> services_;
  mutable auth::SigningKeyCache signing_keys_;  // thread-safe
};

}  // namespace iamlocal::services
