// DecodeAuthorizationMessage: the DecodedMessage of an encoded authorization
// failure message iamlocal issued (see services/authorization_message.h).
#include "iamlocal/services/authorization_message.h"
#include "sessions.h"
#include "sts_operations.h"

namespace iamlocal::services::sts {
namespace {

Result<json> decodeAuthorizationMessage(const Call&, const json& input) {
  auto decoded = services::decodeAuthorizationMessage(inputString(input, "EncodedMessage"));
  // Not issued by this process, altered, or not one at all.
  if (!decoded) return fail(ErrorCode::InvalidAuthorizationMessageException, "Message is not valid");
  return json{{"DecodedMessage", std::move(*decoded)}};
}

}  // namespace

void registerDecodeAuthorizationMessageOperation(OperationTable& table) {
  table.add("sts", "DecodeAuthorizationMessage", decodeAuthorizationMessage);
}

}  // namespace iamlocal::services::sts
