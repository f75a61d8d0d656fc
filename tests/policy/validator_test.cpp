#include "iamlocal/policy/validator.h"

#include <gtest/gtest.h>

namespace iamlocal::policy {
namespace {

struct Case {
  const char* name;
  PolicyKind kind;
  const char* text;
  const char* message;  // AWS's MalformedPolicyDocument text, or nullptr when valid
};

TEST(PolicyValidator, AnswersWithAwsMessageForTheFirstProblem) {
  const Case cases[] = {
      {"valid identity policy", PolicyKind::Identity,
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})", nullptr},
      {"valid without Version, single statement", PolicyKind::Identity,
       R"({"Statement":{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:iam::123456789012:user/x"}})",
       nullptr},
      {"valid trust policy", PolicyKind::Trust,
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]})",
       nullptr},
      {"valid resource policy", PolicyKind::Resource,
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sqs:SendMessage","Resource":"*"}]})",
       nullptr},
      {"not JSON", PolicyKind::Identity, "{\"Version\": ", "Syntax errors in policy."},
      {"unknown top-level element", PolicyKind::Identity,
       R"({"Version":"2012-10-17","Statment":[],"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
       "Syntax errors in policy."},
      {"unknown version", PolicyKind::Identity,
       R"({"Version":"2012-10-18","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})", "Syntax errors in policy."},
      {"no Statement", PolicyKind::Identity, R"({"Version":"2012-10-17"})", "Syntax errors in policy."},
      {"no Effect", PolicyKind::Identity, R"({"Statement":[{"Action":"*","Resource":"*"}]})", "Syntax errors in policy."},
      {"bad Effect", PolicyKind::Identity, R"({"Statement":[{"Effect":"Permit","Action":"*","Resource":"*"}]})",
       "Syntax errors in policy."},
      {"Effect in the wrong case", PolicyKind::Identity, R"({"Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]})",
       "The policy failed legacy parsing"},
      {"unknown condition operator", PolicyKind::Identity,
       R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"a"}}}]})",
       "Syntax errors in policy."},
      {"Action and NotAction together", PolicyKind::Identity,
       R"({"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}]})", "Syntax errors in policy."},
      {"principal in an identity policy", PolicyKind::Identity,
       R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]})",
       "Policy document should not specify a principal."},
      {"duplicate Sid", PolicyKind::Identity,
       R"({"Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}]})",
       "Statement IDs (SID) in a single policy must be unique."},
      {"no Action", PolicyKind::Identity, R"({"Statement":[{"Effect":"Allow","Resource":"*"}]})",
       "Policy statement must contain actions."},
      {"empty Action list", PolicyKind::Identity, R"({"Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]})",
       "Policy statement must contain actions."},
      {"no Resource", PolicyKind::Identity, R"({"Statement":[{"Effect":"Allow","Action":"s3:*"}]})",
       "Policy statement must contain resources."},
      {"action without a vendor", PolicyKind::Identity, R"({"Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]})",
       "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
      {"action with two colons", PolicyKind::Identity, R"({"Statement":[{"Effect":"Allow","Action":"s3:Get:Object","Resource":"*"}]})",
       "Actions/Condition can contain only one colon."},
      {"resource that is not an ARN", PolicyKind::Identity,
       R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"my-bucket/*"}]})",
       "Resource my-bucket/* must be in ARN format or \"*\"."},
      {"trust policy without principal", PolicyKind::Trust, R"({"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]})",
       "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement "
       "with no principals!"},
      {"trust policy with another action", PolicyKind::Trust,
       R"({"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSessions"]}]})",
       "AssumeRole policy may only specify STS AssumeRole actions."},
      {"trust policy with a resource", PolicyKind::Trust,
       R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole","Resource":"*"}]})",
       "Has prohibited field Resource."},
      {"trust policy with an invalid AWS principal", PolicyKind::Trust,
       R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"sts:AssumeRole"}]})",
       "Invalid principal in policy: \"AWS\":\"alice\""},
      {"resource policy without principal", PolicyKind::Resource,
       R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})", "Missing required field Principal"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Status status = validatePolicyDocument(c.kind, c.text);
    if (c.message == nullptr) {
      EXPECT_TRUE(status.has_value()) << (status ? "" : status.error().message);
      continue;
    }
    ASSERT_FALSE(status.has_value());
    EXPECT_EQ(status.error().code, ErrorCode::MalformedPolicyDocument);
    EXPECT_EQ(status.error().message, c.message);
  }
}

TEST(PolicyValidator, ReportsEveryProblemAtOnceWithItsPlace) {
  const std::string text =
      "{\n"
      "  \"Version\": \"2012-10-17\",\n"
      "  \"Statement\": [\n"
      "    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n"
      "    {\"Effect\": \"Allow\", \"Action\": \"GetObject\", \"Resource\": \"*\",\n"
      "     \"Condition\": {\"StringEqualz\": {\"aws:username\": \"a\"}}},\n"
      "    {\"Effect\": \"Alow\", \"Resource\": \"bucket\"}\n"
      "  ]\n"
      "}\n";
  const auto problems = validatePolicyText(text, PolicyKind::Identity);
  std::vector<std::string> described;
  for (const auto& p : problems) described.push_back(p.describe());
  EXPECT_EQ(described, (std::vector<std::string>{
                           "Statement[1].Condition: unknown operator 'StringEqualz' (line 6, column 6)",
                           "Statement[2].Effect: effect 'Alow' is neither 'Allow' nor 'Deny' (line 7, column 6)",
                           "Statement[2]: the statement has no actions (line 7, column 5)",
                           "Statement[2].Resource: resource 'bucket' is neither an ARN nor \"*\" (line 7, column 24)",
                           "Statement[1].Action: action 'GetObject' is not of the form 'service:action' (line 5, column 25)",
                       }));
  // The first problem decides AWS's answer.
  EXPECT_EQ(problems.front().aws_message, "Syntax errors in policy.");
}

TEST(PolicyValidator, TrustPolicyActionsAreTheRoleAssumingOnes) {
  EXPECT_TRUE(isTrustPolicyAction("sts:AssumeRole"));
  EXPECT_TRUE(isTrustPolicyAction("sts:assumerolewithwebidentity"));
  EXPECT_TRUE(isTrustPolicyAction("sts:SetSourceIdentity"));
  EXPECT_FALSE(isTrustPolicyAction("sts:GetCallerIdentity"));
  EXPECT_FALSE(isTrustPolicyAction("s3:GetObject"));
}

}  // namespace
}  // namespace iamlocal::policy

namespace iamlocal::policy {
namespace {

TEST(PolicyValidator, OddInputIsAnAwsErrorNeverACrash) {
  const std::string deep = R"({"Id":)" + std::string(100000, '[') + std::string(100000, ']') +
                           R"(,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})";
  const std::string inputs[] = {
      deep,
      std::string("{\"Statement\":\"\xff\xfe\"}"),                        // not UTF-8
      R"({"Statement":[null, 1, "x", []]})",
      R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":[{"a":1}]}}}]})",
      R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":"x"}}]})",
      R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":[1]},"Action":"*","Resource":"*"}]})",
  };
  for (const auto& text : inputs) {
    SCOPED_TRACE(text.substr(0, 60));
    const Status status = validatePolicyDocument(PolicyKind::Identity, text);
    ASSERT_FALSE(status.has_value());
    EXPECT_EQ(status.error().code, ErrorCode::MalformedPolicyDocument);
  }
  // Escapes inside strings do not confuse where statements are found.
  const std::string escaped = R"({"Id":"}\"]","Statement":[{"Sid":"a\"}\u0041{","Effect":"Deny","Action":"*","Resource":"*"}]})";
  EXPECT_TRUE(validatePolicyDocument(PolicyKind::Identity, escaped).has_value());
  auto doc = parseDocument(escaped);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->statements[0].start, (Position{1, 27}));
  EXPECT_EQ(doc->statements[0].positionOf("Effect"), (Position{1, 48}));
}

}  // namespace
}  // namespace iamlocal::policy
