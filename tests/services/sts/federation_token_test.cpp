// GetFederationToken: the federated user it names, its durations, its
// refusal of session credentials, and the session policies and tags it
// gives the session.
#include <chrono>

#include "sts_fixture.h"

namespace iamlocal::services {
namespace {

using sts_testing::json;
using sts_testing::StsFixture;

const std::string kAllowS3 =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";

class FederationTokenTest : public StsFixture {};

TEST_F(FederationTokenTest, NamesTheFederatedUserAndIssuesASessionActingAsIt) {
  callAsNewUser("broker");
  json out = ok("GetFederationToken", {{"Name", "carol"}});
  EXPECT_EQ(out["FederatedUser"]["FederatedUserId"], "123456789012:carol");
  EXPECT_EQ(out["FederatedUser"]["Arn"], "arn:aws:sts::123456789012:federated-user/carol");
  EXPECT_EQ(out["Credentials"]["Expiration"], "2024-05-02T00:00:00Z");  // 12 hours by default
  EXPECT_FALSE(out.contains("PackedPolicySize"));

  callWith(out["Credentials"]["AccessKeyId"]);
  json who = ok("GetCallerIdentity");
  EXPECT_EQ(who["Arn"], "arn:aws:sts::123456789012:federated-user/carol");
  EXPECT_EQ(who["UserId"], "123456789012:carol");
  EXPECT_EQ(who["Account"], "123456789012");
}

TEST_F(FederationTokenTest, TheSessionStartsFromTheCallingUserAndAlwaysHasSessionPolicies) {
  callAsNewUser("broker");
  json creds = ok("GetFederationToken", {{"Name", "carol"}})["Credentials"];
  auto s = session(creds);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->principal.type, auth::PrincipalType::FederatedUser);
  EXPECT_EQ(s->source_user_name, "broker");
  EXPECT_TRUE(s->has_session_policies);
  EXPECT_TRUE(s->session_policies.empty());  // no policy passed: no permissions
  EXPECT_EQ(s->issued_at, now_);
}

TEST_F(FederationTokenTest, PolicyPolicyArnsAndTagsBecomeTheSessions) {
  callAsNewUser("broker");
  const std::string managed =
      asRoot("CreatePolicy", {{"PolicyName", "Read"}, {"PolicyDocument", kAllowS3}})["Policy"]["Arn"];
  json out = ok("GetFederationToken",
                {{"Name", "carol"},
                 {"Policy", kAllowS3},
                 {"PolicyArns", json::array({{{"arn", managed}}, {{"arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}}})},
                 {"Tags", json::array({{{"Key", "team"}, {"Value", "ops"}}})}});
  EXPECT_TRUE(out.contains("PackedPolicySize"));
  auto s = session(out["Credentials"]);
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->session_policies.size(), 3u);
  EXPECT_EQ(s->session_policies[1]->id(), managed);
  EXPECT_EQ(s->session_policies[2]->id(), "arn:aws:iam::aws:policy/ReadOnlyAccess");
  ASSERT_EQ(s->tags.size(), 1u);
  EXPECT_EQ(s->tags[0].key, "team");
}

TEST_F(FederationTokenTest, AMalformedPolicyIsRefused) {
  callAsNewUser("broker");
  auto result = call("sts", "GetFederationToken", {{"Name", "carol"}, {"Policy", "{not json"}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::MalformedPolicyDocument);
}

TEST_F(FederationTokenTest, TheRootGetsAtMostOneHour) {
  json out = ok("GetFederationToken", {{"Name", "carol"}, {"DurationSeconds", 7200}});
  EXPECT_EQ(out["Credentials"]["Expiration"], "2024-05-01T13:00:00Z");
}

TEST_F(FederationTokenTest, AUserMayAskForUpToThirtySixHours) {
  callAsNewUser("broker");
  json out = ok("GetFederationToken", {{"Name", "carol"}, {"DurationSeconds", 129600}});
  EXPECT_EQ(out["Credentials"]["Expiration"], "2024-05-03T00:00:00Z");
}

TEST_F(FederationTokenTest, TheSessionIsMarkedAsAFederationTokensAndTheRootsHasNoSourceUser) {
  // A federated user's permissions start from its source user's, or from the
  // root's when it has none (principal_policies.cpp).
  callAsNewUser("marker");
  auto by_user = session(ok("GetFederationToken", {{"Name", "u"}})["Credentials"]);
  ASSERT_NE(by_user, nullptr);
  EXPECT_EQ(by_user->issued_by, store::Session::IssuedBy::GetFederationToken);
  EXPECT_EQ(by_user->source_user_name, "marker");
  caller_ = root_;
  auto by_root = session(ok("GetFederationToken", {{"Name", "r"}})["Credentials"]);
  ASSERT_NE(by_root, nullptr);
  EXPECT_EQ(by_root->issued_by, store::Session::IssuedBy::GetFederationToken);
  EXPECT_EQ(by_root->source_user_name, "");
}

TEST_F(FederationTokenTest, SessionCredentialsAreRefused) {
  callAsNewUser("broker");
  json creds = ok("GetSessionToken")["Credentials"];
  callWith(creds["AccessKeyId"]);
  expectError("GetFederationToken", {{"Name", "carol"}}, ErrorCode::AccessDenied,
              "Cannot call GetFederationToken with session credentials");
}

}  // namespace
}  // namespace iamlocal::services
