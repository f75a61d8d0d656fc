// The AWS query-protocol front door (IAM, STS): turns an HTTP request into
// Action + parameters, picks the service and its model, names the caller,
// runs the registered operation handler and renders its output or error as
// the service does. It never sees a socket and never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "iamlocal/auth/principal.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/http/message.h"
#include "iamlocal/protocol/model.h"
#include "iamlocal/services/operation.h"

namespace iamlocal::services {

struct QueryEndpointConfig {
  std::string default_account_id = "000000000000";  // unsigned requests act as this account's root
  std::string region = "us-east-1";                 // when the credential scope names none
};

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

  const OperationTable& operations_;
  const auth::CredentialSource& credentials_;
  const Clock& clock_;
  QueryEndpointConfig config_;
  std::vector<QueryService> services_;
};

}  // namespace iamlocal::services
