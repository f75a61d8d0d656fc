// DecodeAuthorizationMessage answers the DecodedMessage of messages this
// process issued, and InvalidAuthorizationMessageException for anything else.
#include "iamlocal/services/authorization_message.h"
#include "sts_fixture.h"

namespace iamlocal::services {
namespace {

using sts_testing::json;
using sts_testing::StsFixture;

class DecodeAuthorizationMessageTest : public StsFixture {};

TEST_F(DecodeAuthorizationMessageTest, DecodesAMessageItIssued) {
  AuthorizationFailure failure;
  failure.principal_id = "AIDAEXAMPLE";
  failure.principal_arn = "arn:aws:iam::123456789012:user/alice";
  failure.action = "ec2:RunInstances";
  failure.resource = "arn:aws:ec2:us-east-1:123456789012:instance/*";
  json out = ok("DecodeAuthorizationMessage", {{"EncodedMessage", encodeAuthorizationMessage(failure)}});
  json decoded = json::parse(out["DecodedMessage"].get<std::string>());
  EXPECT_EQ(decoded["allowed"], false);
  EXPECT_EQ(decoded["context"]["action"], "ec2:RunInstances");
}

TEST_F(DecodeAuthorizationMessageTest, RefusesTextItDidNotIssue) {
  for (const std::string& text : {std::string("abc"), std::string("not base64 at all!"), std::string(200, 'A')}) {
    SCOPED_TRACE(text);
    expectError("DecodeAuthorizationMessage", {{"EncodedMessage", text}},
                ErrorCode::InvalidAuthorizationMessageException, "Message is not valid");
  }
  EXPECT_EQ(errorHttpStatus(ErrorCode::InvalidAuthorizationMessageException), 400);
}

}  // namespace
}  // namespace iamlocal::services
