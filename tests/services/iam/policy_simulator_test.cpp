// The simulator's private helpers are tested directly, from beside their source.
#include "../../../src/services/iam/policy_simulator.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "policy_test_fixture.h"

namespace iamlocal::services::iam::testing {
namespace {

// The policy of aws-cli's own simulate-custom-policy example, whose
// statement AWS reports from line 1 column 38 to column 167.
const std::string kDynamoAfterDate =
    R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}})";
const std::string kAllowS3Deny1 =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]})";

json position(int line, int column) { return {{"Line", line}, {"Column", column}}; }

class PolicySimulatorTest : public PolicyOperationsTest {
 protected:
  json simulateCustom(json input) { return ok("SimulateCustomPolicy", input); }
  static const json& only(const json& out) {
    EXPECT_EQ(out["EvaluationResults"].size(), 1u) << out.dump();
    return out["EvaluationResults"][0];
  }
};

TEST_F(PolicySimulatorTest, AllowedNamesTheStatementWhereAwsPlacesIt) {
  json out = simulateCustom({{"PolicyInputList", {kDynamoAfterDate}},
                             {"ActionNames", {"dynamodb:CreateBackup"}},
                             {"ContextEntries",
                              {{{"ContextKeyName", "aws:CurrentTime"},
                                {"ContextKeyValues", {"2019-04-25T11:00:00Z"}},
                                {"ContextKeyType", "date"}}}}});
  const json& r = only(out);
  EXPECT_EQ(r["EvalActionName"], "dynamodb:CreateBackup");
  EXPECT_EQ(r["EvalResourceName"], "*");
  EXPECT_EQ(r["EvalDecision"], "allowed");
  ASSERT_EQ(r["MatchedStatements"].size(), 1u);
  EXPECT_EQ(r["MatchedStatements"][0]["SourcePolicyId"], "PolicyInputList.1");
  EXPECT_EQ(r["MatchedStatements"][0]["SourcePolicyType"], "IAM Policy");
  EXPECT_EQ(r["MatchedStatements"][0]["StartPosition"], position(1, 38));
  EXPECT_EQ(r["MatchedStatements"][0]["EndPosition"], position(1, 167));
  EXPECT_EQ(r["MissingContextValues"], json::array());
  EXPECT_FALSE(r.contains("EvalDecisionDetails"));  // same account, all resources
  EXPECT_FALSE(r.contains("ResourceSpecificResults"));
  EXPECT_EQ(out["IsTruncated"], false);
}

TEST_F(PolicySimulatorTest, ConditionNotMetIsImplicitDenyWithNoStatements) {
  json out = simulateCustom({{"PolicyInputList", {kDynamoAfterDate}},
                             {"ActionNames", {"dynamodb:CreateBackup"}},
                             {"ContextEntries",
                              {{{"ContextKeyName", "aws:CurrentTime"},
                                {"ContextKeyValues", {"2014-04-25T11:00:00Z"}},
                                {"ContextKeyType", "date"}}}}});
  const json& r = only(out);
  EXPECT_EQ(r["EvalDecision"], "implicitDeny");
  EXPECT_EQ(r["MatchedStatements"], json::array());
}

TEST_F(PolicySimulatorTest, AbsentConditionKeyIsReportedMissing) {
  json out = simulateCustom({{"PolicyInputList", {kDynamoAfterDate}}, {"ActionNames", {"dynamodb:CreateBackup"}}});
  const json& r = only(out);
  EXPECT_EQ(r["EvalDecision"], "implicitDeny");
  EXPECT_EQ(r["MissingContextValues"], json::array({"aws:CurrentTime"}));
}

TEST_F(PolicySimulatorTest, ExplicitDenyListsOnlyTheDeny) {
  json out = simulateCustom({{"PolicyInputList", {kAllowS3Deny1}}, {"ActionNames", {"s3:DeleteBucket", "s3:GetObject"}}});
  ASSERT_EQ(out["EvaluationResults"].size(), 2u);
  const json& deny = out["EvaluationResults"][0];
  EXPECT_EQ(deny["EvalDecision"], "explicitDeny");
  ASSERT_EQ(deny["MatchedStatements"].size(), 1u);
  // After the first statement's '}' ... to after the second's '}'.
  EXPECT_EQ(deny["MatchedStatements"][0]["StartPosition"], position(1, 87));
  EXPECT_EQ(deny["MatchedStatements"][0]["EndPosition"], position(1, 147));
  const json& allow = out["EvaluationResults"][1];
  EXPECT_EQ(allow["EvalDecision"], "allowed");
  EXPECT_EQ(allow["MatchedStatements"][0]["StartPosition"], position(1, 38));
}

TEST_F(PolicySimulatorTest, ListedResourcesGetResourceSpecificResults) {
  const std::string doc =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::good/*","Condition":{"StringEquals":{"s3:prefix":"x"}}}]})";
  json out = simulateCustom({{"PolicyInputList", {doc}},
                             {"ActionNames", {"s3:GetObject"}},
                             {"ResourceArns", {"arn:aws:s3:::good/a", "arn:aws:s3:::bad/a"}}});
  ASSERT_EQ(out["EvaluationResults"].size(), 2u);
  const json& good = out["EvaluationResults"][0];
  EXPECT_EQ(good["EvalResourceName"], "arn:aws:s3:::good/a");
  EXPECT_EQ(good["EvalDecision"], "implicitDeny");
  EXPECT_EQ(good["EvalDecisionDetails"], json::object());
  EXPECT_EQ(good["MissingContextValues"], json::array());
  ASSERT_EQ(good["ResourceSpecificResults"].size(), 1u);
  EXPECT_EQ(good["ResourceSpecificResults"][0]["EvalResourceName"], "arn:aws:s3:::good/a");
  EXPECT_EQ(good["ResourceSpecificResults"][0]["EvalResourceDecision"], "implicitDeny");
  EXPECT_EQ(good["ResourceSpecificResults"][0]["MissingContextValues"], json::array({"s3:prefix"}));
  const json& bad = out["EvaluationResults"][1];
  EXPECT_EQ(bad["EvalResourceName"], "arn:aws:s3:::bad/a");
  EXPECT_EQ(bad["ResourceSpecificResults"][0]["MissingContextValues"], json::array());
}

TEST_F(PolicySimulatorTest, BoundaryThatDoesNotAllowMakesItAnImplicitDeny) {
  const std::string ec2_only = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]})";
  json out = simulateCustom({{"PolicyInputList", {kAllowS3Deny1}},
                             {"PermissionsBoundaryPolicyInputList", {ec2_only}},
                             {"ActionNames", {"s3:GetObject"}}});
  const json& r = only(out);
  EXPECT_EQ(r["EvalDecision"], "implicitDeny");
  EXPECT_EQ(r["PermissionsBoundaryDecisionDetail"], (json{{"AllowedByPermissionsBoundary", false}}));

  out = simulateCustom({{"PolicyInputList", {kAllowS3Deny1}},
                        {"PermissionsBoundaryPolicyInputList", {kAllowS3Deny1}},
                        {"ActionNames", {"s3:GetObject"}}});
  EXPECT_EQ(only(out)["EvalDecision"], "allowed");
  EXPECT_EQ(only(out)["PermissionsBoundaryDecisionDetail"], (json{{"AllowedByPermissionsBoundary", true}}));
}

TEST_F(PolicySimulatorTest, ResourcePolicyNamingTheCallerAllows) {
  const std::string bucket_policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]})";
  const std::string nothing = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]})";
  json out = simulateCustom({{"PolicyInputList", {nothing}},
                             {"ActionNames", {"s3:GetObject"}},
                             {"ResourceArns", {"arn:aws:s3:::shared/k"}},
                             {"ResourcePolicy", bucket_policy},
                             {"CallerArn", "arn:aws:iam::123456789012:user/alice"}});
  const json& r = only(out);
  EXPECT_EQ(r["EvalDecision"], "allowed");
  ASSERT_EQ(r["MatchedStatements"].size(), 1u);
  EXPECT_EQ(r["MatchedStatements"][0]["SourcePolicyId"], "ResourcePolicy");
  EXPECT_EQ(r["MatchedStatements"][0]["SourcePolicyType"], "Resource Policy");
}

TEST_F(PolicySimulatorTest, CrossAccountResourceReportsEachSide) {
  json out = simulateCustom({{"PolicyInputList", {kAllowS3Deny1}},
                             {"ActionNames", {"s3:GetObject"}},
                             {"ResourceArns", {"arn:aws:s3:::theirs/k"}},
                             {"ResourceOwner", "arn:aws:iam::210987654321:root"}});
  const json& r = only(out);
  EXPECT_EQ(r["EvalDecision"], "implicitDeny");
  EXPECT_EQ(r["EvalDecisionDetails"], (json{{"IAM Policy", "allowed"}, {"Resource Policy", "implicitDeny"}}));
}

TEST_F(PolicySimulatorTest, PaginatesWithMaxItemsAndMarker) {
  json input = {{"PolicyInputList", {kAllowS3Deny1}},
                {"ActionNames", {"s3:GetObject", "s3:PutObject", "s3:DeleteBucket"}},
                {"MaxItems", 2}};
  json first = simulateCustom(input);
  ASSERT_EQ(first["EvaluationResults"].size(), 2u);
  EXPECT_EQ(first["IsTruncated"], true);
  ASSERT_TRUE(first.contains("Marker"));
  input["Marker"] = first["Marker"];
  json second = simulateCustom(input);
  ASSERT_EQ(second["EvaluationResults"].size(), 1u);
  EXPECT_EQ(second["EvaluationResults"][0]["EvalActionName"], "s3:DeleteBucket");
  EXPECT_EQ(second["IsTruncated"], false);
  EXPECT_FALSE(second.contains("Marker"));
}

TEST_F(PolicySimulatorTest, BadInputsAreInvalidInput) {
  const json base = {{"ActionNames", {"s3:GetObject"}}};
  auto with = [&](json extra) {
    json input = base;
    input.update(extra);
    return input;
  };
  expectError("SimulateCustomPolicy", with({{"PolicyInputList", {"{not json"}}}), ErrorCode::InvalidInput,
              "Syntax errors in policy.");
  expectError("SimulateCustomPolicy",
              with({{"PolicyInputList",
                     {R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]})"}}}),
              ErrorCode::InvalidInput, "Policy document should not specify a principal.");
  expectError("SimulateCustomPolicy",
              with({{"PolicyInputList", {kAllowS3Deny1}}, {"ResourcePolicy", kAllowS3Deny1},
                    {"CallerArn", "arn:aws:iam::123456789012:user/a"}}),
              ErrorCode::InvalidInput, "Missing required field Principal");
  expectError("SimulateCustomPolicy",
              with({{"PolicyInputList", {kAllowS3Deny1}}, {"ResourceOwner", "123456789012"}}),
              ErrorCode::InvalidInput, "'123456789012' is not a valid as a Resource Owner.");
  expectError("SimulateCustomPolicy",
              with({{"PolicyInputList", {kAllowS3Deny1}},
                    {"ContextEntries",
                     {{{"ContextKeyName", "s3:max-keys"}, {"ContextKeyValues", {"ten"}}, {"ContextKeyType", "numeric"}}}}}),
              ErrorCode::InvalidInput, "Invalid value 'ten' for context key s3:max-keys of type numeric.");
  auto missing_caller = call("SimulateCustomPolicy", with({{"PolicyInputList", {kAllowS3Deny1}},
                                                           {"ResourcePolicy", kAllowS3Deny1}}));
  ASSERT_FALSE(missing_caller.has_value());
  EXPECT_EQ(missing_caller.error().code, ErrorCode::InvalidInput);
}

TEST_F(PolicySimulatorTest, PrincipalPolicyCombinesUserGroupAndManagedPolicies) {
  store::User& user = addUser("alice");
  user.inline_policies.emplace("own", store::storePolicy(kAllowS3Deny1, "own"));
  user.group_names.insert("devs");
  store::Group& group = addGroup("devs");
  group.attached_policy_arns = {kReadOnlyArn};
  group.member_names.insert("alice");

  json out = ok("SimulatePrincipalPolicy", {{"PolicySourceArn", user.arn},
                                            {"ActionNames", {"s3:DeleteBucket", "iam:GetUser", "iam:CreateUser"}}});
  ASSERT_EQ(out["EvaluationResults"].size(), 3u);
  const json& deny = out["EvaluationResults"][0];
  EXPECT_EQ(deny["EvalDecision"], "explicitDeny");
  EXPECT_EQ(deny["MatchedStatements"][0]["SourcePolicyId"], "user_alice_own");
  const json& read = out["EvaluationResults"][1];
  EXPECT_EQ(read["EvalDecision"], "allowed");
  EXPECT_EQ(read["MatchedStatements"][0]["SourcePolicyId"], "ReadOnlyAccess");
  EXPECT_EQ(read["MatchedStatements"][0]["SourcePolicyType"], "IAM Policy");
  EXPECT_EQ(out["EvaluationResults"][2]["EvalDecision"], "implicitDeny");
}

TEST_F(PolicySimulatorTest, PrincipalPolicyOfARoleHonoursItsBoundaryUnlessOneIsGiven) {
  store::Role& role = addRole("Builder");
  role.inline_policies.emplace("all", store::storePolicy(kAllowS3Deny1, "all"));
  role.permissions_boundary_arn = kReadOnlyArn;
  json out = ok("SimulatePrincipalPolicy", {{"PolicySourceArn", role.arn}, {"ActionNames", {"s3:PutObject"}}});
  EXPECT_EQ(only(out)["EvalDecision"], "implicitDeny");
  EXPECT_EQ(only(out)["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"], false);

  out = ok("SimulatePrincipalPolicy", {{"PolicySourceArn", role.arn},
                                       {"ActionNames", {"s3:PutObject"}},
                                       {"PermissionsBoundaryPolicyInputList", {kAllowS3Deny1}}});
  EXPECT_EQ(only(out)["EvalDecision"], "allowed");
  ASSERT_EQ(only(out)["MatchedStatements"].size(), 2u);
  EXPECT_EQ(only(out)["MatchedStatements"][0]["SourcePolicyId"], "role_Builder_all");
  EXPECT_EQ(only(out)["MatchedStatements"][1]["SourcePolicyId"], "PermissionsBoundaryPolicyInputList.1");
}

TEST_F(PolicySimulatorTest, PrincipalPolicyAddsPolicyInputList) {
  store::Group& group = addGroup("empty");
  json out = ok("SimulatePrincipalPolicy",
                {{"PolicySourceArn", group.arn}, {"ActionNames", {"s3:GetObject"}}, {"PolicyInputList", {kAllowS3Deny1}}});
  EXPECT_EQ(only(out)["EvalDecision"], "allowed");
  EXPECT_EQ(only(out)["MatchedStatements"][0]["SourcePolicyId"], "PolicyInputList.1");
}

TEST_F(PolicySimulatorTest, PrincipalPolicyOfAnUnknownEntityIsNoSuchEntity) {
  expectError("SimulatePrincipalPolicy",
              {{"PolicySourceArn", "arn:aws:iam::123456789012:user/ghost"}, {"ActionNames", {"s3:GetObject"}}},
              ErrorCode::NoSuchEntity, "The user with name ghost cannot be found.");
  expectError("GetContextKeysForPrincipalPolicy", {{"PolicySourceArn", "arn:aws:iam::123456789012:role/Ghost"}},
              ErrorCode::NoSuchEntity, "The role with name Ghost cannot be found.");
}

TEST_F(PolicySimulatorTest, RoleWithResourcePolicyNeedsACallerArn) {
  store::Role& role = addRole("R");
  const std::string resource_policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/R"},"Action":"s3:GetObject","Resource":"*"}]})";
  auto result = call("SimulatePrincipalPolicy",
                     {{"PolicySourceArn", role.arn}, {"ActionNames", {"s3:GetObject"}}, {"ResourcePolicy", resource_policy}});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
}

TEST_F(PolicySimulatorTest, ResourcePolicyNeedsACallerArnUnlessThePolicySourceIsAUser) {
  const std::string bucket_policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]})";
  const json request = {{"ActionNames", {"s3:GetObject"}},
                        {"ResourceArns", {"arn:aws:s3:::shared/k"}},
                        {"ResourcePolicy", bucket_policy}};
  json custom = request;
  custom["PolicyInputList"] = {kAllowS3Deny1};
  expectError("SimulateCustomPolicy", custom, ErrorCode::InvalidInput,
              "CallerArn must be specified when a ResourcePolicy is specified.");

  store::Role& role = addRole("R");
  json for_role = request;
  for_role["PolicySourceArn"] = role.arn;
  expectError("SimulatePrincipalPolicy", for_role, ErrorCode::InvalidInput,
              "CallerArn must be specified when a ResourcePolicy is specified and PolicySourceArn is not the ARN of "
              "an IAM user.");
  // A CallerArn names who the resource policy sees.
  for_role["CallerArn"] = "arn:aws:iam::123456789012:user/alice";
  EXPECT_EQ(only(ok("SimulatePrincipalPolicy", for_role))["EvalDecision"], "allowed");

  // A user source is the caller itself.
  store::User& alice = addUser("alice");
  json for_user = request;
  for_user["PolicySourceArn"] = alice.arn;
  const json out = ok("SimulatePrincipalPolicy", for_user);
  const json& r = only(out);
  EXPECT_EQ(r["EvalDecision"], "allowed");
  ASSERT_EQ(r["MatchedStatements"].size(), 1u);
  EXPECT_EQ(r["MatchedStatements"][0]["SourcePolicyId"], "ResourcePolicy");
}

TEST_F(PolicySimulatorTest, InputFaultsAreReportedInTheOrderTheInputsAreRead) {
  store::User& alice = addUser("alice");
  const json bad_context = {{{"ContextKeyName", "s3:max-keys"}, {"ContextKeyValues", {"ten"}}, {"ContextKeyType", "numeric"}}};
  // Every fault at once, then one fewer each time: CallerArn, ResourceOwner,
  // ContextEntries, ResourceHandlingOption.
  json faults = {{"ActionNames", {"s3:GetObject"}},
                 {"CallerArn", "arn:aws:iam::123456789012:role/R"},
                 {"ResourceOwner", "123456789012"},
                 {"ContextEntries", bad_context},
                 {"ResourceHandlingOption", "bogus"}};
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"CallerArn", "Invalid CallerArn: arn:aws:iam::123456789012:role/R. CallerArn must be the ARN of an IAM user."},
      {"ResourceOwner", "'123456789012' is not a valid as a Resource Owner."},
      {"ContextEntries", "Invalid value 'ten' for context key s3:max-keys of type numeric."},
      {"ResourceHandlingOption", "Invalid ResourceHandlingOption: bogus."},
  };
  for (const auto& [member, message] : expected) {
    SCOPED_TRACE(member);
    json custom = faults;
    custom["PolicyInputList"] = {kAllowS3Deny1};
    expectError("SimulateCustomPolicy", custom, ErrorCode::InvalidInput, message);
    json principal = faults;
    principal["PolicySourceArn"] = alice.arn;
    expectError("SimulatePrincipalPolicy", principal, ErrorCode::InvalidInput, message);
    faults.erase(member);
  }
  faults["ResourceHandlingOption"] = "EC2-VPC-EBS";
  faults["PolicyInputList"] = {kAllowS3Deny1};
  EXPECT_EQ(only(ok("SimulateCustomPolicy", faults))["EvalDecision"], "allowed");
}

TEST_F(PolicySimulatorTest, ContextKeysOfCustomPoliciesAreListedOnceAsWritten) {
  const std::string doc =
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}})";
  const std::string other =
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"AWS:UserName":"x","aws:PrincipalTag/team":"${aws:PrincipalTag/team, 'none'}"}}}})";
  json out = ok("GetContextKeysForCustomPolicy", {{"PolicyInputList", {doc, other}}});
  EXPECT_EQ(out["ContextKeyNames"], json::array({"aws:username", "aws:CurrentTime", "aws:PrincipalTag/team"}));
  expectError("GetContextKeysForCustomPolicy", {{"PolicyInputList", {"nope"}}}, ErrorCode::InvalidInput,
              "Syntax errors in policy.");
}

TEST_F(PolicySimulatorTest, ContextKeysOfAPrincipalIncludeItsGroupsAndInputs) {
  store::User& user = addUser("bob");
  user.inline_policies.emplace(
      "mfa", store::storePolicy(
                 R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]})",
                 "mfa"));
  user.group_names.insert("net");
  addGroup("net").inline_policies.emplace(
      "ip", store::storePolicy(
                R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]})",
                "ip"));
  json out = ok("GetContextKeysForPrincipalPolicy", {{"PolicySourceArn", user.arn}, {"PolicyInputList", {kDynamoAfterDate}}});
  EXPECT_EQ(out["ContextKeyNames"], json::array({"aws:MultiFactorAuthPresent", "aws:SourceIp", "aws:CurrentTime"}));
}

TEST(SimulatorPositions, FollowAwsReaderPositionsInPrettyPrintedDocuments) {
  const std::string text =
      "{\n"
      "  \"Version\": \"2012-10-17\",\n"
      "  \"Statement\": [\n"
      "    {\n"
      "      \"Effect\": \"Allow\",\n"
      "      \"Action\": \"*\",\n"
      "      \"Resource\": \"*\"\n"
      "    },\n"
      "    {\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n"
      "  ]\n"
      "}\n";
  // AdministratorAccess-like: AWS reports line 3 column 17 to line 8 column 6.
  auto [start, end] = simulatorPositions(text, {4, 5}, {8, 5});
  EXPECT_EQ(start, (policy::Position{3, 17}));
  EXPECT_EQ(end, (policy::Position{8, 6}));
  // The next statement starts where the previous one ended.
  auto [start2, end2] = simulatorPositions(text, {9, 5}, {9, 58});
  EXPECT_EQ(start2, (policy::Position{8, 6}));
  EXPECT_EQ(end2, (policy::Position{9, 59}));
}

TEST(SimulatorContextEntries, ReadsTypesAndListValues) {
  policy::RequestContext request;
  json entries = json::array({{{"ContextKeyName", "aws:SourceIp"}, {"ContextKeyValues", {"10.1.2.3"}}, {"ContextKeyType", "ip"}},
                              {{"ContextKeyName", "aws:TagKeys"}, {"ContextKeyValues", {"a", "b"}}, {"ContextKeyType", "stringList"}}});
  ASSERT_TRUE(readContextEntries(entries, request).has_value());
  const policy::ContextEntry* ip = request.find("aws:sourceip");
  ASSERT_NE(ip, nullptr);
  EXPECT_EQ(ip->type, policy::ContextKeyType::Ip);
  const policy::ContextEntry* keys = request.find("aws:tagkeys");
  ASSERT_NE(keys, nullptr);
  EXPECT_EQ(keys->values, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(readContextEntries(json::array({{{"ContextKeyName", "k:k1"}, {"ContextKeyType", "unknown"}}}), request));
  EXPECT_FALSE(readContextEntries(json::array({{{"ContextKeyValues", {"x"}}}}), request));
}

}  // namespace
}  // namespace iamlocal::services::iam::testing
