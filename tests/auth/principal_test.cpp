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

TEST(CredentialScope, ReadsKeyAndServiceFromHeaderOrQuery) {
  std::string header =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=abc";
  EXPECT_EQ(accessKeyIdOf(header, ""), "AKIDEXAMPLE");
  EXPECT_EQ(scopeServiceOf(header, ""), "iam");
  EXPECT_EQ(scopeServiceOf("", "KEY/20150830/us-east-1/sts/aws4_request"), "sts");
  EXPECT_EQ(scopeServiceOf("garbage", ""), "");
}

}  // namespace
}  // namespace iamlocal::auth
