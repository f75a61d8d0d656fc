// AssumeRoot: a short session as a member account's root, limited by one of
// AWS's root task policies.
#include "sts_fixture.h"

namespace iamlocal::services {
namespace {

using sts_testing::json;
using sts_testing::StsFixture;

constexpr std::string_view kTask = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials";

class AssumeRootTest : public StsFixture {};

TEST_F(AssumeRootTest, IssuesAFifteenMinuteSessionAsTheTargetRootScopedByTheTaskPolicy) {
  callAsNewUser("admin");
  json out = ok("AssumeRoot", {{"TargetPrincipal", "111111111111"}, {"TaskPolicyArn", {{"arn", kTask}}}});
  EXPECT_EQ(out["Credentials"]["Expiration"], "2024-05-01T12:15:00Z");
  EXPECT_EQ(out["SourceIdentity"], "arn:aws:iam::123456789012:user/admin");
  auto s = session(out["Credentials"]);
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->has_session_policies);
  EXPECT_EQ(s->issued_by, store::Session::IssuedBy::AssumeRoot);
  ASSERT_EQ(s->session_policies.size(), 1u);
  EXPECT_EQ(s->session_policies[0]->id(), kTask);

  callWith(out["Credentials"]["AccessKeyId"]);
  json who = ok("GetCallerIdentity");
  EXPECT_EQ(who["Arn"], "arn:aws:iam::111111111111:root");
  EXPECT_EQ(who["Account"], "111111111111");
}

TEST_F(AssumeRootTest, AcceptsTheTargetsRootArnAndAShorterDuration) {
  callAsNewUser("admin");
  json out = ok("AssumeRoot", {{"TargetPrincipal", "arn:aws:iam::111111111111:root"},
                               {"TaskPolicyArn", {{"arn", "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy"}}},
                               {"DurationSeconds", 300}});
  EXPECT_EQ(out["Credentials"]["Expiration"], "2024-05-01T12:05:00Z");
}

TEST_F(AssumeRootTest, RefusesPoliciesThatAreNotRootTaskPolicies) {
  callAsNewUser("admin");
  auto result = call("sts", "AssumeRoot",
                     {{"TargetPrincipal", "111111111111"},
                      {"TaskPolicyArn", {{"arn", "arn:aws:iam::aws:policy/AdministratorAccess"}}}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::ValidationError);
}

TEST_F(AssumeRootTest, RefusesATargetThatIsNotAnAccount) {
  callAsNewUser("admin");
  auto result = call("sts", "AssumeRoot",
                     {{"TargetPrincipal", "arn:aws:iam::111111111111:user/bob"}, {"TaskPolicyArn", {{"arn", kTask}}}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::ValidationError);
}

TEST_F(AssumeRootTest, RootCredentialsCannotCallIt) {
  auto result = call("sts", "AssumeRoot", {{"TargetPrincipal", "111111111111"}, {"TaskPolicyArn", {{"arn", kTask}}}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::AccessDenied);
}

}  // namespace
}  // namespace iamlocal::services
