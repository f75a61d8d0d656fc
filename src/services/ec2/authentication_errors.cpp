// How EC2 answers a request it cannot authenticate. Its front end does not
// speak the codes of IAM and STS: the EC2 API reference, "Error codes for the
// Amazon EC2 API" (errors-overview.html, "Common client error codes"), names
// AuthFailure for credentials that cannot be validated and RequestExpired for
// a date stamp more than 15 minutes away (or an elapsed presigned URL). The
// texts and statuses are EC2's as clients report them:
//  - AuthFailure, HTTP 401, "AWS was not able to validate the provided access
//    credentials" for unknown keys and wrong secrets (aws-sdk-java-v2#2981,
//    smarty-archives/go-aws-auth#37, markcaudill/haproxy-autoscale#20: 401);
//  - AuthFailure, HTTP 401, "Authorization header or parameters are not
//    formatted correctly." for a malformed signature (boto3 report in
//    StreisandEffect/discussions#181, http_status_code 401);
//  - RequestExpired, HTTP 400, "Request has expired." for expired temporary
//    credentials as well as stale timestamps (jenkinsci/ec2-plugin#2011,
//    aws/aws-sdk-java#1443, aws/aws-sdk-go-v2#1674);
//  - MissingParameter, HTTP 400, "The request must contain the parameter
//    AWSAccessKeyId" for a request with no credentials at all
//    (test-kitchen/kitchen-ec2#440, awsdocs/aws-doc-sdk-examples#4026).
// None of these is retried by botocore (its standard and legacy modes retry
// throttling, 5xx and connection errors only), so a client never loops on
// them; the JavaScript SDK v3 treats AuthFailure and RequestExpired as clock
// skew and retries at most once more after correcting its clock from the
// response's Date header, within its usual attempt limit.
#include "iamlocal/services/ec2.h"

#include "iamlocal/core/strings.h"

namespace iamlocal::services {
namespace {

constexpr std::string_view kNotValidated = "AWS was not able to validate the provided access credentials";
constexpr std::string_view kMalformed = "Authorization header or parameters are not formatted correctly.";
constexpr std::string_view kExpired = "Request has expired.";
constexpr std::string_view kNoCredentials = "The request must contain the parameter AWSAccessKeyId";

// The verifier reports a date stamp outside the window (or an elapsed
// X-Amz-Expires) as SignatureDoesNotMatch with these openings, as IAM and
// STS do; EC2 calls both RequestExpired.
bool isOutsideTimeWindow(std::string_view message) {
  return startsWith(message, "Signature expired") || startsWith(message, "Signature not yet current");
}

// Both an Authorization header and presigned query parameters: a malformed
// request to EC2, not a wrong secret.
bool isConflictingSignatureForms(std::string_view message) { return startsWith(message, "Found both "); }

}  // namespace

Error ec2AuthenticationError(const Error& error) {
  switch (error.code) {
    case ErrorCode::MissingAuthenticationToken:
      return makeError(ErrorCode::MissingParameter, std::string(kNoCredentials));
    case ErrorCode::IncompleteSignature:
      return makeError(ErrorCode::AuthFailure, std::string(kMalformed));
    case ErrorCode::InvalidClientTokenId:
      return makeError(ErrorCode::AuthFailure, std::string(kNotValidated));
    case ErrorCode::SignatureDoesNotMatch:
      if (isOutsideTimeWindow(error.message)) return makeError(ErrorCode::RequestExpired, std::string(kExpired));
      if (isConflictingSignatureForms(error.message)) return makeError(ErrorCode::AuthFailure, std::string(kMalformed));
      return makeError(ErrorCode::AuthFailure, std::string(kNotValidated));
    case ErrorCode::ExpiredToken:
    case ErrorCode::RequestExpired:
      return makeError(ErrorCode::RequestExpired, std::string(kExpired));
    default:
      return error;
  }
}

}  // namespace iamlocal::services
