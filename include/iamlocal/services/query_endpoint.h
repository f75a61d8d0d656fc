// The AWS query-protocol front door (IAM, STS): turns an HTTP request into
// Action + parameters, picks the service and its model, names the caller,
// runs the registered operation handler and renders its output or error as
// the service does. It never sees a socket and never throws. Authentication
// (SigV4, per AuthMode) happens here, before the operation is decoded.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iamlocal/auth/principal.h"
#include "iamlocal/auth/sigv4.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/http/message.h"
#include "iamlocal/protocol/model.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services {

// How much of a request's credentials is checked.
//   Accept:  the caller is named by the access key alone; signatures are not
//            checked (any secret works; unsigned requests act as the root of
//            the default account).
//   Verify:  every request needs a valid SigV4 signature by a known, active
//            key (and, for temporary credentials, its unexpired token).
//   Enforce: Verify, then every request is authorized by the policy engine
//            before its handler runs: the operation's AccessDescriber names
//            the checks, each is decided over the caller's policies, and the
//            first denial answers AccessDenied (EC2: UnauthorizedOperation).
//            An operation without a describer is refused, never allowed.
//   Soft:    Enforce's decisions, but a denial is only logged (a warning
//            naming principal, action, resource and why) and the request
//            goes through.
// Operations AWS serves unsigned (allowsUnsignedRequests) are authorized by
// their handlers (trust policies) in every mode.
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
  // Whose policies Enforce and Soft decide with. Without one, every check
  // those modes make is refused.
  const store::Store* store = nullptr;
};

// Operations AWS serves without a signature: the credentials come from the
// identity provider's token or assertion in the request itself.
bool allowsUnsignedRequests(std::string_view service, std::string_view action);

// A service the endpoint can route to. The model is fetched on first use, so
// constructing an endpoint compiles nothing (start-up stays fast).
struct QueryService {
  std::string name;                           // credential-scope service and OperationTable key: "iam"
  const protocol::ServiceModel& (*model)();  // e.g. protocol::iamModel
  // How the service words a failed authentication; null: as the SigV4
  // verifier does (IAM's and STS's codes). EC2 has its own.
  Error (*authentication_error)(const Error&) = nullptr;
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
  // Enforce/Soft: the error that refuses `call`, or nullopt to let it run.
  std::optional<Error> authorize(const Call& call, const nlohmann::json& input) const;
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
