#include "iamlocal/auth/principal.h"

#include <gtest/gtest.h>

namespace iamlocal::auth {
namespace {

class NoKeys : public CredentialSource {
 public:
  std::optional<Credential> findAccessKey(std::string_view) const override { return std::nullopt; }
};

TEST(IdentifyByAccessKey, TwelveDigitKeyIsThatAccountsRoot) {
  auto p = identifyByAccessKey("111122223333", NoKeys{}, "000000000000");
  EXPECT_EQ(p.type, PrincipalType::Root);
  EXPECT_EQ(p.account_id, "111122223333");
  EXPECT_EQ(p.arn, "arn:aws:iam::111122223333:root");
}

TEST(IdentifyByAccessKey, UnknownKeyIsDefaultAccountRoot) {
  auto p = identifyByAccessKey("test", NoKeys{}, "000000000000");
  EXPECT_EQ(p.account_id, "000000000000");
  EXPECT_EQ(p.user_id, "000000000000");
}

TEST(CredentialScope, ReadsEveryPartFromHeaderOrQuery) {
  std::string header =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=abc";
  auto scope = credentialScopeOf(header, "");
  EXPECT_EQ(scope.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(scope.date, "20150830");
  EXPECT_EQ(scope.region, "us-east-1");
  EXPECT_EQ(scope.service, "iam");
  scope = credentialScopeOf("", "KEY/20150830/eu-west-1/sts/aws4_request");
  EXPECT_EQ(scope.access_key_id, "KEY");
  EXPECT_EQ(scope.region, "eu-west-1");
  EXPECT_EQ(scope.service, "sts");
  // The query form wins over the header, as the verifier reads it.
  EXPECT_EQ(credentialScopeOf(header, "OTHER/20150830/us-east-1/sts/aws4_request").access_key_id, "OTHER");
}

TEST(CredentialScope, PartsACredentialLacksAreEmpty) {
  auto scope = credentialScopeOf("garbage", "");
  EXPECT_EQ(scope.access_key_id, "");
  EXPECT_EQ(scope.service, "");
  // A bare key (no scope) still names the key.
  scope = credentialScopeOf("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE, SignedHeaders=host", "");
  EXPECT_EQ(scope.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(scope.region, "");
  // A part not followed by its '/' is not taken: "iam" here ends the credential.
  scope = credentialScopeOf("", "KEY/20150830/us-east-1/iam");
  EXPECT_EQ(scope.region, "us-east-1");
  EXPECT_EQ(scope.service, "");
  // A comma right after the credential ends it as a space does.
  EXPECT_EQ(credentialScopeOf("AWS4-HMAC-SHA256 Credential=K/D/R/S/aws4_request,SignedHeaders=host", "").service,
            "S");
}

}  // namespace
}  // namespace iamlocal::auth
