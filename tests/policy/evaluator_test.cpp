#include "iamlocal/policy/evaluator.h"

#include <gtest/gtest.h>

namespace iamlocal::policy {
namespace {

CompiledPolicy compiled(std::string_view text, std::string id) {
  auto p = compilePolicy(text, std::move(id));
  EXPECT_TRUE(p.has_value());
  return std::move(*p);
}

RequestContext request(std::string action, std::string resource) {
  RequestContext r;
  r.action = std::move(action);
  r.resource = std::move(resource);
  r.principal_arn = "arn:aws:iam::111122223333:user/alice";
  r.principal_account = "111122223333";
  return r;
}

TEST(PolicyEvaluator, NamesTheMatchedStatementsWithPolicyLayerIndexAndPosition) {
  const auto identity = compiled(
      "{\n"
      "  \"Version\": \"2012-10-17\",\n"
      "  \"Statement\": [\n"
      "    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n"
      "    {\"Effect\": \"Deny\", \"Action\": \"s3:Delete*\", \"Resource\": \"*\"}\n"
      "  ]\n"
      "}",
      "arn:aws:iam::111122223333:policy/p");
  PolicySet set;
  set.identity.push_back(&identity);
  const Decision d = evaluate(set, request("s3:DeleteObject", "arn:aws:s3:::b/k"));
  EXPECT_EQ(d.type, DecisionType::ExplicitDeny);
  EXPECT_EQ(d.layer, PolicyLayer::Identity);
  ASSERT_EQ(d.matched.size(), 2u);
  EXPECT_EQ(d.matched[0].policy->id(), "arn:aws:iam::111122223333:policy/p");
  EXPECT_EQ(d.matched[0].statement_index, 0u);
  EXPECT_TRUE(d.matched[0].allow);
  EXPECT_EQ(d.matched[1].statement_index, 1u);
  EXPECT_FALSE(d.matched[1].allow);
  EXPECT_EQ(d.matched[1].start, (Position{5, 5}));
  EXPECT_EQ(d.matched[1].end, (Position{5, 63}));
}

TEST(PolicyEvaluator, SaysWhyWhenSomethingWasNotUnderstood) {
  const auto identity = compiled(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"alice"}}}]})",
      "p");
  PolicySet set;
  set.identity.push_back(&identity);
  const Decision d = evaluate(set, request("s3:GetObject", "*"));
  EXPECT_EQ(d.type, DecisionType::ImplicitDeny);
  ASSERT_EQ(d.reasons.size(), 1u);
  EXPECT_EQ(d.reasons[0], "Statement[0].Condition: unknown operator 'StringEqualz'");
}

TEST(PolicyEvaluator, ReusedDecisionKeepsNothingFromTheLastRequest) {
  const auto identity = compiled(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]})",
      "p");
  PolicySet set;
  set.identity.push_back(&identity);
  Decision d;
  evaluate(set, request("s3:GetObject", "*"), d);
  EXPECT_EQ(d.type, DecisionType::ImplicitDeny);
  EXPECT_EQ(d.missing_context_keys, std::vector<std::string_view>{"aws:RequestedRegion"});
  auto r = request("s3:GetObject", "*");
  r.set("aws:RequestedRegion", "us-east-1");
  evaluate(set, r, d);
  EXPECT_EQ(d.type, DecisionType::Allowed);
  EXPECT_TRUE(d.missing_context_keys.empty());
  EXPECT_EQ(d.matched.size(), 1u);
}

TEST(PolicyEvaluator, ContextKeysAreCaseInsensitiveAndReplaceable) {
  RequestContext r;
  r.set("AWS:UserName", "alice");
  r.set("aws:username", "bob");
  ASSERT_EQ(r.keys.size(), 1u);
  ASSERT_NE(r.find("aws:username"), nullptr);
  EXPECT_EQ(r.find("aws:username")->values, std::vector<std::string>{"bob"});
  EXPECT_EQ(r.find("aws:sourceip"), nullptr);
}

TEST(PolicyEvaluator, FinalizeDerivesTimeAndPrincipalKeysFromTheRequest) {
  RequestContext r = request("s3:GetObject", "*");
  ASSERT_TRUE(parseIso8601("2024-05-01T12:00:00Z", r.now));
  r.set("aws:PrincipalAccount", "999999999999");
  r.finalize();
  ASSERT_NE(r.find("aws:currenttime"), nullptr);
  EXPECT_EQ(r.find("aws:currenttime")->values[0], "2024-05-01T12:00:00Z");
  EXPECT_EQ(r.find("aws:epochtime")->values[0], "1714564800");
  EXPECT_EQ(r.find("aws:principalarn")->values[0], "arn:aws:iam::111122223333:user/alice");
  // A key the caller set is not overwritten.
  EXPECT_EQ(r.find("aws:principalaccount")->values[0], "999999999999");
}

TEST(PolicyEvaluator, CompilingTextThatIsNotJsonFailsWithAwsMessage) {
  auto p = compilePolicy(std::string_view("{oops"), "p");
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code, ErrorCode::MalformedPolicyDocument);
  EXPECT_EQ(p.error().message, "Syntax errors in policy.");
}

TEST(PolicyEvaluator, AnEmptyPresentBoundaryAllowsNothing) {
  const auto identity = compiled(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})", "p");
  PolicySet set;
  set.identity.push_back(&identity);
  set.boundary_present = true;
  const Decision d = evaluate(set, request("s3:GetObject", "*"));
  EXPECT_EQ(d.type, DecisionType::ImplicitDeny);
  EXPECT_EQ(d.layer, PolicyLayer::PermissionsBoundary);
}

TEST(PolicyEvaluator, LongActionNamesAreMatchedToo) {
  const std::string action = "svc:" + std::string(300, 'a');
  const auto identity = compiled(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"SVC:A*","Resource":"*"}]})", "p");
  PolicySet set;
  set.identity.push_back(&identity);
  EXPECT_TRUE(evaluate(set, request(action, "*")).allowed());
}

}  // namespace
}  // namespace iamlocal::policy
