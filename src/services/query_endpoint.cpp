#include "iamlocal/services/query_endpoint.h"

#include <algorithm>
#include <exception>

#include <spdlog/spdlog.h>

#include "iamlocal/core/ids.h"
#include "iamlocal/core/strings.h"
#include "iamlocal/services/authorizer.h"
#include "iamlocal/services/ec2.h"

namespace iamlocal::services {
namespace {

http::Response xmlResponse(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = "text/xml";
  r.body = std::move(body);
  return r;
}

http::Response errorResponse(protocol::Flavor flavor, const Error& error, std::string_view request_id) {
  return xmlResponse(error.httpStatus(), protocol::encodeError(flavor, error, request_id));
}

std::string_view firstParam(const protocol::QueryParams& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

// Botocore sends "application/x-www-form-urlencoded; charset=utf-8"; a POST
// without a Content-Type is read as a form too, as AWS does.
bool isFormBody(const http::Request& request) {
  if (request.method != "POST") return false;
  std::string_view type = request.header("content-type");
  if (type.empty()) return true;
  std::string_view kForm = "application/x-www-form-urlencoded";
  return type.size() >= kForm.size() && iequals(type.substr(0, kForm.size()), kForm);
}

}  // namespace

std::string_view authModeName(AuthMode mode) {
  switch (mode) {
    case AuthMode::Accept:
      return "accept";
    case AuthMode::Verify:
      return "verify";
    case AuthMode::Enforce:
      return "enforce";
    case AuthMode::Soft:
      return "soft";
  }
  return "accept";
}

bool allowsUnsignedRequests(std::string_view service, std::string_view action) {
  return service == "sts" && (action == "AssumeRoleWithWebIdentity" || action == "AssumeRoleWithSAML");
}

std::vector<QueryService> defaultQueryServices() {
  return {QueryService{"iam", &protocol::iamModel}, QueryService{"sts", &protocol::stsModel},
          QueryService{"ec2", &protocol::ec2Model, &ec2AuthenticationError}};
}

QueryEndpoint::QueryEndpoint(const OperationTable& operations, const auth::CredentialSource& credentials,
                             const Clock& clock, QueryEndpointConfig config, std::vector<QueryService> services)
    : operations_(operations),
      credentials_(credentials),
      clock_(clock),
      config_(std::move(config)),
      services_(std::move(services)) {}

const QueryService* QueryEndpoint::serviceNamed(std::string_view name) const {
  for (const auto& s : services_)
    if (s.name == name) return &s;
  return nullptr;
}

http::Response QueryEndpoint::handle(const http::Request& request) const {
  const std::string request_id = request.request_id.empty() ? ids::requestId() : request.request_id;
  // Handlers and the model walk must not take the server down: anything
  // thrown becomes AWS's generic 500.
  try {
    return dispatch(request, request_id);
  } catch (const std::exception& e) {
    SPDLOG_ERROR("request {} failed with an exception: {}", request_id, e.what());
  } catch (...) {
    SPDLOG_ERROR("request {} failed with an unknown exception", request_id);
  }
  return errorResponse(protocol::Flavor::Query,
                       makeError(ErrorCode::InternalFailure,
                                 "The request processing has failed because of an unknown error, exception or failure."),
                       request_id);
}

Result<auth::Principal> QueryEndpoint::authenticate(const http::Request& request, std::string_view service,
                                                   std::string_view action, std::string_view access_key_id) const {
  const bool check_signature = config_.auth_mode != AuthMode::Accept && !allowsUnsignedRequests(service, action);
  if (!check_signature) {
    if (access_key_id.empty()) return auth::rootPrincipal(config_.default_account_id);
    return auth::identifyByAccessKey(access_key_id, credentials_, config_.default_account_id);
  }
  // Any region may be named by the scope: one port serves them all. The
  // service must be the one answering, as at AWS's own endpoints: a request
  // signed for another service is refused ("Credential should be scoped to
  // correct service"). The key, the signature, then the token, in AWS's order.
  auth::SigV4Options options;
  options.service = service;
  return auth::authenticateSigV4(request, credentials_, clock_.now(), signing_keys_, options);
}

std::optional<Error> QueryEndpoint::authorize(const Call& call, const nlohmann::json& input) const {
  const AuthMode mode = config_.auth_mode;
  if (mode != AuthMode::Enforce && mode != AuthMode::Soft) return std::nullopt;
  // Federation with a token or assertion: the handler's trust evaluation is
  // the authorization, as the request carries no caller to authorize.
  if (allowsUnsignedRequests(call.service, call.action)) return std::nullopt;

  thread_local std::vector<AccessCheck> checks;
  checks.clear();
  std::optional<Error> refused;
  if (const AccessDescriber* describer = operations_.findAccess(call.service, call.action)) {
    (*describer)(call, input, checks);
    if (!checks.empty()) {
      if (config_.store != nullptr) {
        refused = authorizeChecks(*config_.store, call, checks);
      } else {
        refused = makeError(ErrorCode::AccessDenied, "User: " + call.caller.arn + " is not authorized to perform: " +
                                                         checks.front().action + " on resource: " +
                                                         checks.front().resource +
                                                         " because iamlocal has no policy store to decide with");
      }
    }
  } else {
    // An operation nobody described is refused, never allowed by default.
    refused = makeError(ErrorCode::AccessDenied, "User: " + call.caller.arn + " is not authorized to perform: " +
                                                     call.service + ":" + call.action +
                                                     " because iamlocal has no access rule for this operation");
  }
  if (refused && mode == AuthMode::Soft) {
    SPDLOG_WARN("soft auth: would deny {} {}:{} (request {}): {}", call.caller.arn, call.service, call.action,
                call.request_id, refused->message);
    return std::nullopt;
  }
  return refused;
}

http::Response QueryEndpoint::dispatch(const http::Request& request, const std::string& request_id) const {
  // Parameters: the query string, then (for a form POST) the body.
  protocol::QueryParams params;
  bool well_formed = request.query.empty() || parseFormEncoded(request.query, params);
  if (well_formed && isFormBody(request)) well_formed = parseFormEncoded(request.body, params);
  if (!well_formed) {
    return errorResponse(protocol::Flavor::Query,
                         makeError(ErrorCode::MalformedQueryString, "The query string contains a syntax error."),
                         request_id);
  }

  // Views into the header or params: read before params is edited below.
  const auth::CredentialScope scope =
      auth::credentialScopeOf(request.header("authorization"), firstParam(params, "X-Amz-Credential"));

  // Which service: the one the request was signed for, else the first whose
  // model knows the Action (unsigned requests, or a scope we don't serve).
  // A copy: params is edited below.
  const std::string action(firstParam(params, "Action"));
  const QueryService* service = serviceNamed(scope.service);
  if (!service && !action.empty()) {
    for (const auto& candidate : services_) {
      if (candidate.model().hasOperation(action)) {
        service = &candidate;
        break;
      }
    }
  }
  if (!service && services_.empty()) {
    return errorResponse(protocol::Flavor::Query,
                         makeError(ErrorCode::InvalidAction, "No service is configured for action " + action),
                         request_id);
  }
  const QueryService& chosen = service ? *service : services_.front();
  const protocol::ServiceModel& model = chosen.model();
  auto modelError = [&](const Error& error) {
    return xmlResponse(error.httpStatus(), model.encodeError(error, request_id));
  };

  // Who is calling, before anything about the operation is revealed: in the
  // checking modes an unauthenticated client learns nothing but that.
  auto caller = authenticate(request, chosen.name, action, scope.access_key_id);
  if (!caller) {
    if (chosen.authentication_error) return modelError(chosen.authentication_error(caller.error()));
    return modelError(caller.error());
  }

  if (action.empty()) return modelError(makeError(ErrorCode::MissingAction, "Missing Action"));
  if (!model.hasOperation(action)) {
    std::string_view version = firstParam(params, "Version");
    if (version.empty()) version = model.apiVersion();
    return modelError(makeError(ErrorCode::InvalidAction,
                                "Could not find operation " + action + " for version " + std::string(version)));
  }
  const OperationHandler* handler = operations_.find(chosen.name, action);
  if (!handler) {
    return modelError(makeError(ErrorCode::InvalidAction, "The operation " + action + " of " + chosen.name +
                                                              " is not supported by iamlocal yet"));
  }

  Call call;
  call.service = chosen.name;
  call.action = action;
  call.request_id = request_id;
  call.region = scope.region.empty() ? config_.region : std::string(scope.region);
  call.source_ip = request.remote_address;
  call.caller = std::move(*caller);
  call.now = clock_.now();
  if (config_.on_key_used && call.caller.type == auth::PrincipalType::User &&
      call.caller.access_key_id.starts_with(ids::kAccessKeyPrefix))
    config_.on_key_used(call.caller, call.service, call.region, call.now);
  // What GetSessionToken's and GetFederationToken's credentials may not call
  // at all, before the request is read (authorizer.h).
  if (config_.store != nullptr)
    if (auto refused = temporaryCredentialRefusal(*config_.store, call.caller, call.service, call.action,
                                                  config_.auth_mode != AuthMode::Accept))
      return modelError(*refused);

  // Presigned-URL parameters are SigV4's, not the operation's.
  std::erase_if(params, [](const auto& p) { return startsWith(p.first, "X-Amz-"); });
  auto input = model.decodeInput(action, params);
  if (!input) return modelError(input.error());

  if (auto refused = authorize(call, *input)) return modelError(*refused);

  auto output = (*handler)(call, *input);
  if (!output) return modelError(output.error());
  return xmlResponse(200, model.encodeOutput(action, *output, request_id));
}

}  // namespace iamlocal::services
