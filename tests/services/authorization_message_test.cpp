// Encoded authorization failure messages: they round-trip to AWS's
// DecodedMessage form, are URL-safe and opaque, and any alteration or
// foreign text is refused.
#include "iamlocal/services/authorization_message.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace iamlocal::services {
namespace {

using nlohmann::json;

AuthorizationFailure sampleFailure() {
  AuthorizationFailure f;
  f.explicit_deny = true;
  f.principal_id = "AROAEXAMPLE:ana";
  f.principal_name = "";
  f.principal_arn = "arn:aws:sts::123456789012:assumed-role/Developer/ana";
  f.action = "ec2:RunInstances";
  f.resource = "arn:aws:ec2:us-east-1:123456789012:instance/*";
  f.conditions = {{"aws:Region", {"us-east-1"}}, {"ec2:InstanceType", {"t3.micro", "t3.small"}}};
  f.matched_statements = {"arn:aws:iam::123456789012:policy/DenyEc2"};
  return f;
}

TEST(AuthorizationMessage, RoundTripsToAwsDecodedMessageForm) {
  auto decoded = decodeAuthorizationMessage(encodeAuthorizationMessage(sampleFailure()));
  ASSERT_TRUE(decoded);
  json m = json::parse(*decoded);
  EXPECT_EQ(m["allowed"], false);
  EXPECT_EQ(m["explicitDeny"], true);
  ASSERT_EQ(m["matchedStatements"]["items"].size(), 1u);
  EXPECT_EQ(m["matchedStatements"]["items"][0]["statementId"], "arn:aws:iam::123456789012:policy/DenyEc2");
  EXPECT_EQ(m["matchedStatements"]["items"][0]["effect"], "DENY");
  EXPECT_EQ(m["failures"]["items"], json::array());
  EXPECT_EQ(m["context"]["principal"]["id"], "AROAEXAMPLE:ana");
  EXPECT_EQ(m["context"]["principal"]["arn"], "arn:aws:sts::123456789012:assumed-role/Developer/ana");
  EXPECT_FALSE(m["context"]["principal"].contains("name"));  // only principals with a name carry one
  EXPECT_EQ(m["context"]["action"], "ec2:RunInstances");
  EXPECT_EQ(m["context"]["resource"], "arn:aws:ec2:us-east-1:123456789012:instance/*");
  const json& conditions = m["context"]["conditions"]["items"];
  ASSERT_EQ(conditions.size(), 2u);
  EXPECT_EQ(conditions[1]["key"], "ec2:InstanceType");
  EXPECT_EQ(conditions[1]["values"]["items"][1]["value"], "t3.small");
}

TEST(AuthorizationMessage, IsUrlSafeAndDoesNotShowItsContent) {
  const std::string encoded = encodeAuthorizationMessage(sampleFailure());
  EXPECT_EQ(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(encoded.find("RunInstances"), std::string::npos);
  // A fresh nonce each time: the same failure never encodes the same.
  EXPECT_NE(encoded, encodeAuthorizationMessage(sampleFailure()));
}

TEST(AuthorizationMessage, RefusesAlteredTruncatedAndForeignText) {
  const std::string encoded = encodeAuthorizationMessage(sampleFailure());
  std::string altered = encoded;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(decodeAuthorizationMessage(altered));
  EXPECT_FALSE(decodeAuthorizationMessage(encoded.substr(0, encoded.size() - 4)));
  EXPECT_FALSE(decodeAuthorizationMessage(""));
  EXPECT_FALSE(decodeAuthorizationMessage("has spaces and ! marks"));
  EXPECT_FALSE(decodeAuthorizationMessage(std::string(64, 'A')));
}

}  // namespace
}  // namespace iamlocal::services
