// AssumeRole as AWS decides it, against a real Store: the trust policy
// evaluated by the policy engine (with the caller's own policies in enforce
// mode), the request's condition keys, session tags and transitive tags
// through role chains, source identity, and session policies.
#include <mutex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "iamlocal/auth/principal.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/services/iam.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/services/sts.h"
#include "iamlocal/store/store.h"
#include "sts_fixture.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;
using sts_testing::StsFixture;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kOtherAccount = "111111111111";

json statement(const json& principal, const json& action = "sts:AssumeRole", const json& condition = nullptr,
               std::string effect = "Allow") {
  json s = {{"Effect", effect}, {"Principal", principal}, {"Action", action}};
  if (!condition.is_null()) s["Condition"] = condition;
  return s;
}

std::string document(const json& statements) {
  return json{{"Version", "2012-10-17"}, {"Statement", statements}}.dump();
}

std::string allowAssume(const std::string& resource) {
  return document(json::array({{{"Effect", "Allow"}, {"Action", "sts:AssumeRole"}, {"Resource", resource}}}));
}

const json kAccountRoot = {{"AWS", "arn:aws:iam::123456789012:root"}};

enum class Mode { Accept, Enforce, Soft };

class AssumeRoleTest : public StsFixture {
 public:
  void start(Mode mode) { registerWith(StsOptions{"000000000000", mode != Mode::Accept, mode == Mode::Soft}); }

  void expectError(const json& input, ErrorCode code, std::string_view message) {
    auto result = call("sts", "AssumeRole", input);
    ASSERT_FALSE(result.has_value()) << "AssumeRole unexpectedly succeeded: " << result->dump();
    EXPECT_EQ(result.error().codeName(), errorCodeName(code)) << result.error().message;
    EXPECT_EQ(result.error().message, message);
  }

  void expectDenied(const json& input, std::string_view action = "sts:AssumeRole") {
    expectError(input, ErrorCode::AccessDenied,
                "User: " + caller_.arn + " is not authorized to perform: " + std::string(action) +
                    " on resource: " + input.value("RoleArn", std::string()));
  }

  std::string createRole(const std::string& name, const std::string& trust, const json& tags = nullptr) {
    json input = {{"RoleName", name}, {"AssumeRolePolicyDocument", trust}};
    if (!tags.is_null()) input["Tags"] = tags;
    return ok("CreateRole", input, "iam")["Role"].value("Arn", "");
  }

  // Creates the user as the current (root) caller, then becomes it.
  std::string becomeUser(const std::string& name, const std::string& policy = {}) {
    ok("CreateUser", {{"UserName", name}}, "iam");
    if (!policy.empty())
      ok("PutUserPolicy", {{"UserName", name}, {"PolicyName", "p"}, {"PolicyDocument", policy}}, "iam");
    json key = ok("CreateAccessKey", {{"UserName", name}}, "iam");
    callWith(key["AccessKey"]["AccessKeyId"]);
    return caller_.arn;
  }

  json assume(const std::string& role_arn, json extra = json::object()) {
    extra["RoleArn"] = role_arn;
    if (!extra.contains("RoleSessionName")) extra["RoleSessionName"] = "s";
    return ok("AssumeRole", extra);
  }

  const store::Session& sessionOf(const json& out) {
    auto session = store_.findSession(out["Credentials"]["AccessKeyId"].get<std::string>());
    EXPECT_NE(session, nullptr);
    return *session;
  }
};

TEST_F(AssumeRoleTest, TrustNamingTheUserIsEnoughInItsOwnAccountEvenWhenEnforcing) {
  start(Mode::Enforce);
  const json deva = {{"AWS", "arn:aws:iam::123456789012:user/deva"}};
  const std::string arn = createRole("dev", document(json::array({statement(deva)})));
  becomeUser("deva");  // no identity policy at all
  EXPECT_EQ(assume(arn)["AssumedRoleUser"]["Arn"], "arn:aws:sts::123456789012:assumed-role/dev/s");
}

TEST_F(AssumeRoleTest, TrustNamingTheAccountAlsoNeedsTheCallersPolicyWhenEnforcing) {
  start(Mode::Enforce);
  const std::string arn = createRole("admin", document(json::array({statement(kAccountRoot)})));
  ok("CreateUser", {{"UserName", "allowed"}}, "iam");
  ok("PutUserPolicy", {{"UserName", "allowed"}, {"PolicyName", "p"}, {"PolicyDocument", allowAssume(arn)}}, "iam");
  json key = ok("CreateAccessKey", {{"UserName", "allowed"}}, "iam");
  becomeUser("plain");
  expectDenied({{"RoleArn", arn}, {"RoleSessionName", "s"}});
  callWith(key["AccessKey"]["AccessKeyId"]);
  EXPECT_EQ(assume(arn)["AssumedRoleUser"]["Arn"], "arn:aws:sts::123456789012:assumed-role/admin/s");
}

TEST_F(AssumeRoleTest, TrustNamingTheAccountIsEnoughWhenNothingIsEnforced) {
  start(Mode::Accept);
  const std::string arn = createRole("admin", document(json::array({statement(kAccountRoot)})));
  becomeUser("plain");
  EXPECT_EQ(assume(arn)["AssumedRoleUser"]["Arn"], "arn:aws:sts::123456789012:assumed-role/admin/s");
}

TEST_F(AssumeRoleTest, SoftModeOnlyLogsWhatTheCallersPoliciesRefuse) {
  start(Mode::Soft);
  const std::string arn = createRole("admin", document(json::array({statement(kAccountRoot)})));
  becomeUser("plain");
  assume(arn);
  // The trust policy itself still decides.
  caller_ = auth::rootPrincipal(kOtherAccount);
  expectDenied({{"RoleArn", arn}, {"RoleSessionName", "s"}});
}

TEST_F(AssumeRoleTest, EnforcingRefusesTheAccountRootAsAwsDoes) {
  start(Mode::Enforce);
  const std::string arn = createRole("admin", document(json::array({statement(kAccountRoot)})));
  auto out = call("sts", "AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}});
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::AccessDenied);
  EXPECT_EQ(out.error().message, "Roles may not be assumed by root accounts.");
}

TEST_F(AssumeRoleTest, TheRootIsLetInByATrustPolicyNamingItsAccountWhenNotEnforcing) {
  start(Mode::Accept);
  const std::string arn = createRole("admin", document(json::array({statement(kAccountRoot)})));
  assume(arn);
  const std::string only_user =
      createRole("user-only", document(json::array({statement({{"AWS", "arn:aws:iam::123456789012:user/x"}})})));
  expectDenied({{"RoleArn", only_user}, {"RoleSessionName", "s"}});
}

TEST_F(AssumeRoleTest, CrossAccountNeedsTheTrustAndTheCallersPolicyWhenEnforcing) {
  start(Mode::Enforce);
  caller_ = auth::rootPrincipal(kOtherAccount);
  const std::string arn =
      createRole("shared", document(json::array({statement({{"AWS", "arn:aws:iam::123456789012:user/dev"}})})));
  caller_ = auth::rootPrincipal(kAccount);
  ok("CreateUser", {{"UserName", "dev"}}, "iam");
  json key = ok("CreateAccessKey", {{"UserName", "dev"}}, "iam");
  callWith(key["AccessKey"]["AccessKeyId"]);
  // Named by the other account's trust policy, but its own account grants nothing.
  expectDenied({{"RoleArn", arn}, {"RoleSessionName", "s"}});
  caller_ = auth::rootPrincipal(kAccount);
  ok("PutUserPolicy", {{"UserName", "dev"}, {"PolicyName", "p"}, {"PolicyDocument", allowAssume(arn)}}, "iam");
  callWith(key["AccessKey"]["AccessKeyId"]);
  json out = assume(arn);
  EXPECT_EQ(out["AssumedRoleUser"]["Arn"], "arn:aws:sts::111111111111:assumed-role/shared/s");
  EXPECT_EQ(sessionOf(out).source_account, "123456789012");
}

TEST_F(AssumeRoleTest, AnExplicitDenyInTheCallersPolicyWins) {
  start(Mode::Enforce);
  const json deva = {{"AWS", "arn:aws:iam::123456789012:user/deva"}};
  const std::string arn = createRole("dev", document(json::array({statement(deva)})));
  becomeUser("deva", document(json::array({{{"Effect", "Deny"}, {"Action", "sts:*"}, {"Resource", "*"}}})));
  expectDenied({{"RoleArn", arn}, {"RoleSessionName", "s"}});
}

TEST_F(AssumeRoleTest, TrustConditionsSeeExternalIdSessionNameAndCallerTags) {
  start(Mode::Accept);
  const json conditions = {{"StringEquals", {{"sts:ExternalId", "Ext-1"}, {"aws:PrincipalTag/team", "blue"}}},
                           {"StringLike", {{"sts:RoleSessionName", "ci-*"}}}};
  const std::string arn =
      createRole("vendor", document(json::array({statement(kAccountRoot, "sts:AssumeRole", conditions)})));
  ok("CreateUser", {{"UserName", "blue"}, {"Tags", {{{"Key", "team"}, {"Value", "blue"}}}}}, "iam");
  json key = ok("CreateAccessKey", {{"UserName", "blue"}}, "iam");
  callWith(key["AccessKey"]["AccessKeyId"]);
  expectDenied({{"RoleArn", arn}, {"RoleSessionName", "ci-1"}});
  expectDenied({{"RoleArn", arn}, {"RoleSessionName", "ci-1"}, {"ExternalId", "ext-1"}});
  expectDenied({{"RoleArn", arn}, {"RoleSessionName", "dev-1"}, {"ExternalId", "Ext-1"}});
  assume(arn, {{"RoleSessionName", "ci-1"}, {"ExternalId", "Ext-1"}});
}

TEST_F(AssumeRoleTest, PassingTagsNeedsTagSessionAllowedWithTheRequestTags) {
  start(Mode::Accept);
  const std::string no_tagging = createRole("plain", document(json::array({statement(kAccountRoot)})));
  const json tags = {{{"Key", "Project"}, {"Value", "Blue"}}};
  expectDenied({{"RoleArn", no_tagging}, {"RoleSessionName", "s"}, {"Tags", tags}}, "sts:TagSession");

  const json only_blue = {{"StringEquals", {{"aws:RequestTag/Project", "Blue"}}},
                          {"ForAllValues:StringEquals", {{"aws:TagKeys", {"Project"}}}}};
  const std::string tagging = createRole(
      "tagging",
      document(json::array({statement(kAccountRoot), statement(kAccountRoot, "sts:TagSession", only_blue)})));
  json out = assume(tagging, {{"Tags", tags}});
  EXPECT_TRUE(out.contains("PackedPolicySize")) << out;
  ASSERT_EQ(sessionOf(out).tags.size(), 1u);
  EXPECT_EQ(sessionOf(out).tags[0].value, "Blue");
  expectDenied({{"RoleArn", tagging}, {"RoleSessionName", "s"}, {"Tags", {{{"Key", "Project"}, {"Value", "Red"}}}}},
               "sts:TagSession");
  expectDenied({{"RoleArn", tagging},
                {"RoleSessionName", "s"},
                {"Tags", {{{"Key", "Project"}, {"Value", "Blue"}}, {{"Key", "Other"}, {"Value", "x"}}}}},
               "sts:TagSession");
}

TEST_F(AssumeRoleTest, SessionTagRulesAnswerAsAws) {
  start(Mode::Accept);
  const std::string arn = createRole(
      "tagging", document(json::array({statement(kAccountRoot), statement(kAccountRoot, "sts:TagSession")})));
  expectError({{"RoleArn", arn},
               {"RoleSessionName", "s"},
               {"Tags", {{{"Key", "Team"}, {"Value", "a"}}, {{"Key", "team"}, {"Value", "b"}}}}},
              ErrorCode::InvalidParameterValue,
              "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
  expectError({{"RoleArn", arn},
               {"RoleSessionName", "s"},
               {"Tags", {{{"Key", "Team"}, {"Value", "a"}}}},
               {"TransitiveTagKeys", {"Project"}}},
              ErrorCode::InvalidParameterValue,
              "The specified transitive tag key must be included in the requested tags.");
  // Transitive keys compare ignoring case, like tag keys.
  json out = assume(arn, {{"Tags", {{{"Key", "Team"}, {"Value", "a"}}}}, {"TransitiveTagKeys", {"team"}}});
  EXPECT_EQ(sessionOf(out).transitive_tag_keys, std::vector<std::string>{"Team"});
}

TEST_F(AssumeRoleTest, TransitiveTagsPassThroughAChainAndCannotBeOverridden) {
  start(Mode::Accept);
  const std::string first = createRole(
      "first", document(json::array({statement(kAccountRoot), statement(kAccountRoot, "sts:TagSession")})));
  // The second role trusts only sessions whose principal tags say Project=Star.
  const json star = {{"StringEquals", {{"aws:PrincipalTag/Project", "Star"}}}};
  const std::string second = createRole(
      "second", document(json::array({statement({{"AWS", first}}, "sts:AssumeRole", star),
                                      statement({{"AWS", first}}, "sts:TagSession")})),
      json::array({{{"Key", "Sun"}, {"Value", "2"}}}));
  const std::string third = createRole(
      "third", document(json::array({statement({{"AWS", second}}, "sts:AssumeRole", star),
                                     statement({{"AWS", second}}, "sts:TagSession")})));

  json one = assume(first, {{"Tags", {{{"Key", "Project"}, {"Value", "Star"}}, {{"Key", "Cost"}, {"Value", "1"}}}},
                            {"TransitiveTagKeys", {"Project"}}});
  callWith(one["Credentials"]["AccessKeyId"]);
  json two = assume(second);
  const store::Session& s2 = sessionOf(two);
  ASSERT_EQ(s2.tags.size(), 1u);  // Cost was not transitive
  EXPECT_EQ(s2.tags[0].key, "Project");
  EXPECT_EQ(s2.transitive_tag_keys, std::vector<std::string>{"Project"});

  callWith(two["Credentials"]["AccessKeyId"]);
  expectError({{"RoleArn", third}, {"RoleSessionName", "s"}, {"Tags", {{{"Key", "project"}, {"Value", "Moon"}}}}},
              ErrorCode::InvalidParameterValue,
              "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key "
              "from the calling session.");
  json three = assume(third, {{"Tags", {{{"Key", "Sun"}, {"Value", "3"}}}}});
  EXPECT_EQ(sessionOf(three).tags.size(), 2u);
  // Tags passed on need sts:TagSession in the next trust policy too.
  const std::string untagged = createRole("untagged", document(json::array({statement({{"AWS", second}})})));
  expectDenied({{"RoleArn", untagged}, {"RoleSessionName", "s"}}, "sts:TagSession");

  // Without the transitive tag the chain stops at the second role.
  caller_ = auth::rootPrincipal(kAccount);
  callWith(assume(first)["Credentials"]["AccessKeyId"]);
  expectDenied({{"RoleArn", second}, {"RoleSessionName", "s"}});
}

TEST_F(AssumeRoleTest, SourceIdentityNeedsPermissionAndStaysForTheWholeChain) {
  start(Mode::Accept);
  const std::string plain = createRole("plain", document(json::array({statement(kAccountRoot)})));
  expectDenied({{"RoleArn", plain}, {"RoleSessionName", "s"}, {"SourceIdentity", "alice"}}, "sts:SetSourceIdentity");

  const std::string first = createRole(
      "first", document(json::array({statement(kAccountRoot, json::array({"sts:AssumeRole", "sts:SetSourceIdentity"}),
                                               {{"StringEquals", {{"sts:SourceIdentity", "alice"}}}})})));
  const std::string second = createRole(
      "second",
      document(json::array({statement({{"AWS", first}}, json::array({"sts:AssumeRole", "sts:SetSourceIdentity"}))})));
  const std::string second_without =
      createRole("second-without", document(json::array({statement({{"AWS", first}})})));

  // The statement's condition on sts:SourceIdentity governs both actions.
  expectDenied({{"RoleArn", first}, {"RoleSessionName", "s"}, {"SourceIdentity", "bob"}});
  json one = assume(first, {{"SourceIdentity", "alice"}});
  EXPECT_EQ(one["SourceIdentity"], "alice");
  callWith(one["Credentials"]["AccessKeyId"]);

  // Carried on without being asked for; then sts:SetSourceIdentity is needed.
  json two = assume(second);
  EXPECT_EQ(two["SourceIdentity"], "alice");
  EXPECT_EQ(sessionOf(two).source_identity, "alice");
  expectDenied({{"RoleArn", second_without}, {"RoleSessionName", "s"}}, "sts:SetSourceIdentity");
  // It cannot change along the chain.
  expectDenied({{"RoleArn", second}, {"RoleSessionName", "s"}, {"SourceIdentity", "mallory"}},
               "sts:SetSourceIdentity");
}

TEST_F(AssumeRoleTest, SessionPoliciesAreKeptOnTheSession) {
  start(Mode::Accept);
  const std::string arn = createRole("scoped", document(json::array({statement(kAccountRoot)})));
  const std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";
  json out = assume(arn, {{"Policy", policy},
                          {"PolicyArns", {{{"arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}}}}});
  const store::Session& session = sessionOf(out);
  EXPECT_TRUE(session.has_session_policies);
  EXPECT_EQ(session.session_policies.size(), 2u);
  EXPECT_FALSE(sessionOf(assume(arn)).has_session_policies);

  // A session policy is an identity-based policy: no Principal.
  const std::string with_principal =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]})";
  auto result = call("sts", "AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}, {"Policy", with_principal}});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::MalformedPolicyDocument) << result.error().message;
  expectError({{"RoleArn", arn}, {"RoleSessionName", "s"}, {"Policy", "{nope"}}, ErrorCode::MalformedPolicyDocument,
              "Syntax errors in policy.");
}

TEST_F(AssumeRoleTest, AMissingRoleIsRefusedWithoutSayingSo) {
  start(Mode::Enforce);
  expectDenied({{"RoleArn", "arn:aws:iam::123456789012:role/ghost"}, {"RoleSessionName", "s"}});
  expectDenied({{"RoleArn", "arn:aws:iam::999999999999:role/ghost"}, {"RoleSessionName", "s"}});
}

}  // namespace
}  // namespace iamlocal::services
