// The one error type of iamlocal: an AWS error code plus its message.
// Codes are spelled as AWS spells them; one table (error.cpp) gives each
// its HTTP status and whether AWS blames the Sender or the Receiver.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace iamlocal {

enum class ErrorCode {
  // Query-protocol and request errors common to every service.
  InvalidAction,
  MissingAction,
  MissingParameter,
  InvalidParameterValue,
  InvalidParameterCombination,
  InvalidQueryParameter,
  MalformedQueryString,
  ValidationError,
  RequestEntityTooLarge,
  InternalFailure,
  ServiceUnavailable,
  Throttling,
  // Authentication and authorization.
  AccessDenied,
  MissingAuthenticationToken,
  IncompleteSignature,
  InvalidClientTokenId,
  SignatureDoesNotMatch,
  ExpiredToken,
  RequestExpired,
  // IAM.
  NoSuchEntity,
  EntityAlreadyExists,
  DeleteConflict,
  LimitExceeded,
  InvalidInput,
  MalformedPolicyDocument,
  UnmodifiableEntity,
  ConcurrentModification,
  EntityTemporarilyUnmodifiable,
  PolicyNotAttachable,
  PolicyEvaluation,
  ServiceFailure,
  ServiceNotSupported,
  InvalidAuthenticationCode,
  // STS.
  PackedPolicyTooLarge,
  RegionDisabledException,
  InvalidAuthorizationMessageException,
  // EC2 (dotted AWS codes use '_' in the enumerator).
  UnauthorizedOperation,
  InvalidInstanceID_NotFound,
  InvalidInstanceID_Malformed,
  IncorrectInstanceState,
  InvalidAssociationID_NotFound,
  IncorrectState,
  DryRunOperation,
  // EC2's answer to a request it cannot authenticate (HTTP 401).
  AuthFailure,
};

// AWS's spelling of the code, e.g. "NoSuchEntity", "InvalidInstanceID.NotFound".
std::string_view errorCodeName(ErrorCode code);
// HTTP status AWS answers with for this code.
int errorHttpStatus(ErrorCode code);
// True when AWS reports the error as the client's fault (<Type>Sender</Type>).
bool errorIsSender(ErrorCode code);

struct [[nodiscard]] Error {
  ErrorCode code;
  std::string message;

  int httpStatus() const { return errorHttpStatus(code); }
  std::string_view codeName() const { return errorCodeName(code); }
};

inline Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace iamlocal
