// The evaluator's fast paths (the action index, segment-wise glob matching,
// memoized repeated patterns and conditions, the IPv4 parser, the fallbacks
// for very large policies and long actions) must decide exactly as the
// plain definitions do. Random policies are checked against a reference
// matcher written here from the definition of IAM wildcards.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "iamlocal/policy/evaluator.h"

namespace iamlocal::policy {
namespace {

CompiledPolicy compiled(std::string_view text, std::string id = "p") {
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

std::vector<std::size_t> matchedIndices(const Decision& d) {
  std::vector<std::size_t> out;
  for (const auto& m : d.matched) out.push_back(m.statement_index);
  return out;
}

// '*' any run (including across ':'), '?' one character, whole text.
bool referenceGlob(std::string_view p, std::string_view t) {
  if (p.empty()) return t.empty();
  if (p[0] == '*') {
    for (std::size_t i = 0; i <= t.size(); ++i)
      if (referenceGlob(p.substr(1), t.substr(i))) return true;
    return false;
  }
  if (t.empty()) return false;
  if (p[0] != '?' && p[0] != t[0]) return false;
  return referenceGlob(p.substr(1), t.substr(1));
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string randomText(std::mt19937& rng, std::string_view alphabet, int max_length) {
  std::string s;
  const int n = std::uniform_int_distribution<int>(0, max_length)(rng);
  for (int i = 0; i < n; ++i) s.push_back(alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)]);
  return s;
}

std::string pick(std::mt19937& rng, const std::vector<std::string>& options) {
  return options[std::uniform_int_distribution<std::size_t>(0, options.size() - 1)(rng)];
}

std::string jsonList(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ",\"" : "\"") + values[i] + "\"";
  return out + "]";
}

TEST(PolicyEvaluatorSpeedPaths, ActionIndexMatchesExactlyWhatEachPatternWouldMatch) {
  std::mt19937 rng(20240501);
  const std::vector<std::string> pattern_services = {"s3", "S3", "ec2", "iam", "s?", "*", "s*", "", "sqs"};
  const std::vector<std::string> request_services = {"s3", "S3", "ec2", "iam", "sqs", "sts"};
  for (int round = 0; round < 300; ++round) {
    struct St {
      bool not_action;
      std::vector<std::string> patterns;
    };
    std::vector<St> statements(std::uniform_int_distribution<int>(1, 12)(rng));
    std::string text = R"({"Version":"2012-10-17","Statement":[)";
    for (std::size_t i = 0; i < statements.size(); ++i) {
      St& st = statements[i];
      st.not_action = std::uniform_int_distribution<int>(0, 4)(rng) == 0;
      const int n = std::uniform_int_distribution<int>(1, 4)(rng);
      for (int k = 0; k < n; ++k) {
        const std::string service = pick(rng, pattern_services);
        std::string name = randomText(rng, "gGeta*?:", 6);
        // Mostly service:name; sometimes no colon at all, or just "*".
        const int form = std::uniform_int_distribution<int>(0, 9)(rng);
        st.patterns.push_back(form == 0 ? "*" : form == 1 ? service + name : service + ":" + name);
      }
      text += std::string(i ? "," : "") + R"({"Effect":"Allow",")" + (st.not_action ? "NotAction" : "Action") +
              R"(":)" + jsonList(st.patterns) + R"(,"Resource":"*"})";
    }
    text += "]}";
    const auto policy = compiled(text);
    PolicySet set;
    set.identity.push_back(&policy);
    for (int q = 0; q < 30; ++q) {
      const std::string action = pick(rng, request_services) + ":" + randomText(rng, "gGetaA:", 6);
      std::vector<std::size_t> expected;
      for (std::size_t i = 0; i < statements.size(); ++i) {
        bool any = false;
        for (const auto& p : statements[i].patterns) any = any || referenceGlob(lower(p), lower(action));
        if (any != statements[i].not_action) expected.push_back(i);
      }
      SCOPED_TRACE(text + " with " + action);
      EXPECT_EQ(matchedIndices(evaluate(set, request(action, "*"))), expected);
    }
  }
}

TEST(PolicyEvaluatorSpeedPaths, ResourceGlobsWithVariablesMatchAsTheirSubstitutedText) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"arn:aws:s3:::", "a", "b", "/", ":", "*", "?", "${aws:username}", "${aws:userid}", "ab"};
  for (int round = 0; round < 200; ++round) {
    std::vector<std::vector<std::string>> statements(std::uniform_int_distribution<int>(1, 6)(rng));
    std::vector<bool> not_resource(statements.size());
    std::string text = R"({"Version":"2012-10-17","Statement":[)";
    for (std::size_t i = 0; i < statements.size(); ++i) {
      not_resource[i] = std::uniform_int_distribution<int>(0, 3)(rng) == 0;
      const int n = std::uniform_int_distribution<int>(1, 3)(rng);
      for (int k = 0; k < n; ++k) {
        std::string p;
        const int parts = std::uniform_int_distribution<int>(1, 6)(rng);
        for (int j = 0; j < parts; ++j) p += pick(rng, pieces);
        statements[i].push_back(p);
      }
      // Statements share patterns now and then, so memo slots are used.
      if (i > 0 && std::uniform_int_distribution<int>(0, 2)(rng) == 0) statements[i] = statements[i - 1];
      text += std::string(i ? "," : "") + R"({"Effect":"Allow","Action":"s3:GetObject",")" +
              (not_resource[i] ? "NotResource" : "Resource") + R"(":)" + jsonList(statements[i]) + "}";
    }
    text += "]}";
    const auto policy = compiled(text);
    PolicySet set;
    set.identity.push_back(&policy);
    for (int q = 0; q < 20; ++q) {
      const std::string resource = "arn:aws:s3:::" + randomText(rng, "ab/:", 8);
      const bool has_username = q % 2 == 0;
      auto r = request("s3:GetObject", resource);
      if (has_username) r.set("aws:username", "ab");
      std::vector<std::size_t> expected;
      for (std::size_t i = 0; i < statements.size(); ++i) {
        bool any = false;
        for (const auto& p : statements[i]) {
          // Substitute; an unresolvable variable matches nothing.
          std::string substituted;
          bool resolvable = true;
          for (std::size_t at = 0; at < p.size() && resolvable;) {
            if (p.compare(at, 15, "${aws:username}") == 0) {
              resolvable = has_username;
              substituted += "ab";
              at += 15;
            } else if (p.compare(at, 13, "${aws:userid}") == 0) {
              resolvable = false;
            } else {
              substituted += p[at++];
            }
          }
          if (resolvable && referenceGlob(substituted, resource)) {
            any = true;
            break;
          }
        }
        if (any != not_resource[i]) expected.push_back(i);
      }
      SCOPED_TRACE(text + " with " + resource);
      EXPECT_EQ(matchedIndices(evaluate(set, r)), expected);
    }
  }
}

TEST(PolicyEvaluatorSpeedPaths, RepeatedConditionsAndResourcesDecideEachStatementAlike) {
  // Three statements share one Resource list and one condition; a fourth
  // has a different condition on the same key. The shared outcome is
  // computed once, and every statement still appears in its own right.
  const auto policy = compiled(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"s3:Get*","Resource":["arn:aws:s3:::b/${aws:username}/*"],"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}},
    {"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::b/${aws:username}/*"],"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}},
    {"Effect":"Deny","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/${aws:username}/*"],"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}},
    {"Effect":"Deny","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/${aws:username}/*"],"Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}}
  ]})");
  PolicySet set;
  set.identity.push_back(&policy);

  auto in_region = request("s3:GetObject", "arn:aws:s3:::b/alice/k");
  in_region.set("aws:username", "alice");
  in_region.set("aws:RequestedRegion", "us-east-1");
  Decision d = evaluate(set, in_region);
  EXPECT_EQ(d.type, DecisionType::ExplicitDeny);
  EXPECT_EQ(matchedIndices(d), (std::vector<std::size_t>{0, 1, 2}));

  auto elsewhere = in_region;
  elsewhere.set("aws:RequestedRegion", "eu-west-1");
  d = evaluate(set, elsewhere);
  EXPECT_EQ(matchedIndices(d), (std::vector<std::size_t>{3}));

  // Without the keys: the variable and the condition key are each reported
  // once, however many statements needed them.
  d = evaluate(set, request("s3:GetObject", "arn:aws:s3:::b/alice/k"));
  EXPECT_EQ(d.type, DecisionType::ImplicitDeny);
  EXPECT_TRUE(d.matched.empty());
  EXPECT_EQ(d.missing_context_keys, std::vector<std::string_view>{"aws:username"});
}

TEST(PolicyEvaluatorSpeedPaths, AMissingVariableIsReportedOnceWhenSeveralPatternsNeedIt) {
  const auto policy = compiled(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::a/${aws:PrincipalTag/team}/*","arn:aws:s3:::a/x/${aws:PrincipalTag/team}"]}
  ]})");
  PolicySet set;
  set.identity.push_back(&policy);
  const Decision d = evaluate(set, request("s3:GetObject", "arn:aws:s3:::a/x/y"));
  EXPECT_EQ(d.type, DecisionType::ImplicitDeny);
  EXPECT_EQ(d.missing_context_keys, std::vector<std::string_view>{"aws:PrincipalTag/team"});
}

TEST(PolicyEvaluatorSpeedPaths, GlobsFindEachMiddlePieceInOrder) {
  const auto policy = compiled(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*x?z*x?z*/end"}
  ]})");
  PolicySet set;
  set.identity.push_back(&policy);
  struct Row {
    const char* resource;
    bool allowed;
  };
  for (const Row& row : std::vector<Row>{{"arn:aws:s3:::b/xaz/xbz/end", true},
                                         {"arn:aws:s3:::b/xazxbz/end", true},
                                         {"arn:aws:s3:::b/xxazz-xqz/end", true},
                                         {"arn:aws:s3:::b/xaz/end", false},
                                         {"arn:aws:s3:::b/xazxb/end", false},
                                         {"arn:aws:s3:::b/xaz/xbz/en", false},
                                         {"arn:aws:s3:::b/xazxbz/endd", false}}) {
    SCOPED_TRACE(row.resource);
    EXPECT_EQ(evaluate(set, request("s3:GetObject", row.resource)).allowed(), row.allowed);
  }
}

TEST(PolicyEvaluatorSpeedPaths, SourceIpIsReadAsInetPtonReadsIt) {
  const auto policy = compiled(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","0.0.0.0/32","2001:db8::/32"]}}}
  ]})");
  PolicySet set;
  set.identity.push_back(&policy);
  struct Row {
    const char* ip;
    bool allowed;
  };
  for (const Row& row : std::vector<Row>{{"10.1.2.3", true},
                                         {"10.255.255.255", true},
                                         {"0.0.0.0", true},
                                         {"2001:db8::1", true},
                                         {"11.0.0.1", false},
                                         {"010.1.2.3", false},  // leading zero: not an address
                                         {"10.1.2.256", false},
                                         {"10.1.2", false},
                                         {"10.1.2.3.4", false},
                                         {"10.1.2.3 ", false},
                                         {"10..2.3", false},
                                         {"", false}}) {
    SCOPED_TRACE(row.ip);
    auto r = request("s3:GetObject", "*");
    r.set("aws:SourceIp", row.ip);
    EXPECT_EQ(evaluate(set, r).allowed(), row.allowed);
  }
}

TEST(PolicyEvaluatorSpeedPaths, PoliciesBeyondTheIndexedSizeAreStillMatchedInOrder) {
  // More statements than the evaluator's on-stack bitset holds: matched
  // statement by statement, with the same outcome.
  constexpr int kStatements = 4200;
  std::string text = R"({"Version":"2012-10-17","Statement":[)";
  for (int i = 0; i < kStatements; ++i)
    text += std::string(i ? "," : "") + R"({"Effect":"Allow","Action":"s3:Get)" + std::to_string(i % 7) + R"(*","Resource":"*"})";
  text += "]}";
  const auto policy = compiled(text);
  PolicySet set;
  set.identity.push_back(&policy);
  const Decision d = evaluate(set, request("s3:Get3Object", "*"));
  EXPECT_TRUE(d.allowed());
  ASSERT_EQ(d.matched.size(), 600u);
  EXPECT_EQ(d.matched.front().statement_index, 3u);
  EXPECT_EQ(d.matched.back().statement_index, 4196u);
}

TEST(PolicyEvaluatorSpeedPaths, ActionsWithoutAServiceMatchOnlyPatternsThatAllowIt) {
  const auto policy = compiled(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"s3:*","Resource":"*"},
    {"Effect":"Allow","Action":"*","Resource":"*"},
    {"Effect":"Allow","NotAction":"s3:*","Resource":"*"}
  ]})");
  PolicySet set;
  set.identity.push_back(&policy);
  EXPECT_EQ(matchedIndices(evaluate(set, request("getobject", "*"))), (std::vector<std::size_t>{1, 2}));
}

TEST(PolicyEvaluatorSpeedPaths, AReusedDecisionStopsAllocatingOnceWarm) {
  // Capacity is kept between evaluations: the second evaluation of the
  // same request fits in the storage of the first.
  const auto policy = compiled(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}},
    {"Effect":"Deny","Action":"s3:Get*","Resource":"*"}
  ]})");
  PolicySet set;
  set.identity.push_back(&policy);
  auto r = request("s3:GetObject", "arn:aws:s3:::b/alice/k");
  Decision d;
  evaluate(set, r, d);
  const auto* matched = d.matched.data();
  const auto* missing = d.missing_context_keys.data();
  evaluate(set, r, d);
  EXPECT_EQ(d.matched.data(), matched);
  EXPECT_EQ(d.missing_context_keys.data(), missing);
  EXPECT_EQ(d.type, DecisionType::ExplicitDeny);
}

}  // namespace
}  // namespace iamlocal::policy
