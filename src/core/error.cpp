#include "iamlocal/core/error.h"

#include <array>

namespace iamlocal {
namespace {

struct ErrorInfo {
  ErrorCode code;
  std::string_view name;
  int status;
};

// The single table of AWS error codes: spelling and HTTP status.
// Sender/Receiver follows the status (5xx is the Receiver's fault).
constexpr std::array kErrors = {
    ErrorInfo{ErrorCode::InvalidAction, "InvalidAction", 400},
    ErrorInfo{ErrorCode::MissingAction, "MissingAction", 400},
    ErrorInfo{ErrorCode::MissingParameter, "MissingParameter", 400},
    ErrorInfo{ErrorCode::InvalidParameterValue, "InvalidParameterValue", 400},
    ErrorInfo{ErrorCode::InvalidParameterCombination, "InvalidParameterCombination", 400},
    ErrorInfo{ErrorCode::InvalidQueryParameter, "InvalidQueryParameter", 400},
    ErrorInfo{ErrorCode::MalformedQueryString, "MalformedQueryString", 404},
    ErrorInfo{ErrorCode::ValidationError, "ValidationError", 400},
    ErrorInfo{ErrorCode::RequestEntityTooLarge, "RequestEntityTooLarge", 413},
    ErrorInfo{ErrorCode::InternalFailure, "InternalFailure", 500},
    ErrorInfo{ErrorCode::ServiceUnavailable, "ServiceUnavailable", 503},
    ErrorInfo{ErrorCode::Throttling, "Throttling", 400},
    ErrorInfo{ErrorCode::AccessDenied, "AccessDenied", 403},
    ErrorInfo{ErrorCode::MissingAuthenticationToken, "MissingAuthenticationToken", 403},
    ErrorInfo{ErrorCode::IncompleteSignature, "IncompleteSignature", 400},
    ErrorInfo{ErrorCode::InvalidClientTokenId, "InvalidClientTokenId", 403},
    ErrorInfo{ErrorCode::SignatureDoesNotMatch, "SignatureDoesNotMatch", 403},
    // IAM and STS answer an expired security token with 403 (SDKs' traces show
    // it; the STS model's 400 is for AssumeRoleWith*'s ExpiredTokenException).
    ErrorInfo{ErrorCode::ExpiredToken, "ExpiredToken", 403},
    ErrorInfo{ErrorCode::RequestExpired, "RequestExpired", 400},
    ErrorInfo{ErrorCode::NoSuchEntity, "NoSuchEntity", 404},
    ErrorInfo{ErrorCode::EntityAlreadyExists, "EntityAlreadyExists", 409},
    ErrorInfo{ErrorCode::DeleteConflict, "DeleteConflict", 409},
    ErrorInfo{ErrorCode::LimitExceeded, "LimitExceeded", 409},
    ErrorInfo{ErrorCode::InvalidInput, "InvalidInput", 400},
    ErrorInfo{ErrorCode::MalformedPolicyDocument, "MalformedPolicyDocument", 400},
    ErrorInfo{ErrorCode::UnmodifiableEntity, "UnmodifiableEntity", 400},
    ErrorInfo{ErrorCode::ConcurrentModification, "ConcurrentModification", 409},
    ErrorInfo{ErrorCode::EntityTemporarilyUnmodifiable, "EntityTemporarilyUnmodifiable", 409},
    ErrorInfo{ErrorCode::PolicyNotAttachable, "PolicyNotAttachable", 400},
    ErrorInfo{ErrorCode::PolicyEvaluation, "PolicyEvaluation", 500},
    ErrorInfo{ErrorCode::ServiceFailure, "ServiceFailure", 500},
    ErrorInfo{ErrorCode::ServiceNotSupported, "NotSupportedService", 404},
    ErrorInfo{ErrorCode::InvalidAuthenticationCode, "InvalidAuthenticationCode", 403},
    ErrorInfo{ErrorCode::PackedPolicyTooLarge, "PackedPolicyTooLarge", 400},
    ErrorInfo{ErrorCode::RegionDisabledException, "RegionDisabledException", 403},
    ErrorInfo{ErrorCode::InvalidAuthorizationMessageException, "InvalidAuthorizationMessageException", 400},
    ErrorInfo{ErrorCode::UnauthorizedOperation, "UnauthorizedOperation", 403},
    ErrorInfo{ErrorCode::InvalidInstanceID_NotFound, "InvalidInstanceID.NotFound", 400},
    ErrorInfo{ErrorCode::InvalidInstanceID_Malformed, "InvalidInstanceID.Malformed", 400},
    ErrorInfo{ErrorCode::IncorrectInstanceState, "IncorrectInstanceState", 400},
    ErrorInfo{ErrorCode::InvalidAssociationID_NotFound, "InvalidAssociationID.NotFound", 400},
    ErrorInfo{ErrorCode::IncorrectState, "IncorrectState", 400},
    // EC2's answer to DryRun=true when the request would have succeeded.
    ErrorInfo{ErrorCode::DryRunOperation, "DryRunOperation", 412},
    ErrorInfo{ErrorCode::AuthFailure, "AuthFailure", 401},
};

constexpr bool tableIsIndexedByCode() {
  for (std::size_t i = 0; i < kErrors.size(); ++i)
    if (static_cast<std::size_t>(kErrors[i].code) != i) return false;
  return true;
}
static_assert(tableIsIndexedByCode(), "kErrors must list every ErrorCode in declaration order");

const ErrorInfo& info(ErrorCode code) { return kErrors[static_cast<std::size_t>(code)]; }

}  // namespace

std::string_view errorCodeName(ErrorCode code) { return info(code).name; }
int errorHttpStatus(ErrorCode code) { return info(code).status; }
bool errorIsSender(ErrorCode code) { return info(code).status < 500; }

}  // namespace iamlocal
