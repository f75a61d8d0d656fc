// The STS handlers against a real Store: who GetCallerIdentity names, the
// sessions GetSessionToken and AssumeRole issue (and how the store then
// authenticates them), AssumeRole's duration rules and its trust policy
// (evaluated by the policy engine; assume_role_test.cpp covers the rest),
// GetAccessKeyInfo and DecodeAuthorizationMessage.
#include "iamlocal/services/sts.h"

#include <atomic>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "iamlocal/auth/principal.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/services/iam.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"
#include "sts_fixture.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;
using sts_testing::StsFixture;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kOtherAccount = "111111111111";

std::string trustPolicy(const json& principal, const json& condition = nullptr, std::string effect = "Allow",
                        const json& action = "sts:AssumeRole") {
  json statement = {{"Effect", effect}, {"Principal", principal}, {"Action", action}};
  if (!condition.is_null()) statement["Condition"] = condition;
  return json{{"Version", "2012-10-17"}, {"Statement", json::array({statement})}}.dump();
}

class StsTest : public StsFixture {
 public:
  StsTest() { region_ = "eu-west-1"; }

  // An empty `message` checks the code only.
  void expectError(std::string_view action, const json& input, ErrorCode code, std::string_view message) {
    auto result = call("sts", action, input);
    ASSERT_FALSE(result.has_value()) << action << " unexpectedly succeeded: " << result->dump();
    EXPECT_EQ(result.error().codeName(), errorCodeName(code)) << result.error().message;
    if (!message.empty()) {
      EXPECT_EQ(result.error().message, message);
    }
  }

  std::string createRole(const std::string& name, const std::string& trust, int max_session = 3600,
                         const std::string& path = "/") {
    json out = ok("CreateRole",
                  {{"RoleName", name}, {"Path", path}, {"AssumeRolePolicyDocument", trust},
                   {"MaxSessionDuration", max_session}},
                  "iam");
    return out["Role"].value("Arn", "");
  }

  // Replaces a role's trust policy in the store directly: the trust check
  // must cope with documents whatever IAM's validator accepts.
  void setTrust(const std::string& role_name, std::string document) {
    std::unique_lock lock(store_.mutex());
    store_.account(kAccount).roles.at(role_name).trust_policy = store_.internTrustPolicy(std::move(document));
  }

  void callAsUser(const std::string& name) {
    ok("CreateUser", {{"UserName", name}}, "iam");
    json key = ok("CreateAccessKey", {{"UserName", name}}, "iam");
    callWith(key["AccessKey"]["AccessKeyId"]);
  }
};

const std::string kTrustAccount = trustPolicy({{"AWS", "arn:aws:iam::123456789012:root"}});

TEST_F(StsTest, GetCallerIdentityOfTheRootNamesTheAccount) {
  json out = ok("GetCallerIdentity");
  EXPECT_EQ(out["Arn"], "arn:aws:iam::123456789012:root");
  EXPECT_EQ(out["UserId"], "123456789012");
  EXPECT_EQ(out["Account"], "123456789012");
}

TEST_F(StsTest, GetCallerIdentityOfAUserNamesTheUserAndItsUniqueId) {
  callAsUser("alice");
  json out = ok("GetCallerIdentity");
  EXPECT_EQ(out["Arn"], "arn:aws:iam::123456789012:user/alice");
  EXPECT_TRUE(out["UserId"].get<std::string>().starts_with("AIDA")) << out;
  EXPECT_EQ(out["Account"], "123456789012");
}

TEST_F(StsTest, AssumeRoleIssuesTemporaryCredentialsAndTheAssumedRoleUser) {
  const std::string arn = createRole("deployer", kTrustAccount, 3600, "/ci/");
  json out = ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "build-42"}});
  const json& creds = out["Credentials"];
  EXPECT_TRUE(creds["AccessKeyId"].get<std::string>().starts_with("ASIA")) << out;
  EXPECT_EQ(creds["AccessKeyId"].get<std::string>().size(), 20u);
  EXPECT_EQ(creds["SecretAccessKey"].get<std::string>().size(), 40u);
  EXPECT_GT(creds["SessionToken"].get<std::string>().size(), 100u);
  EXPECT_EQ(creds["Expiration"], "2024-05-01T13:00:00Z");  // default: one hour
  EXPECT_EQ(out["AssumedRoleUser"]["Arn"], "arn:aws:sts::123456789012:assumed-role/deployer/build-42");
  const std::string role_id = ok("GetRole", {{"RoleName", "deployer"}}, "iam")["Role"]["RoleId"];
  EXPECT_EQ(out["AssumedRoleUser"]["AssumedRoleId"], role_id + ":build-42");
  EXPECT_FALSE(out.contains("PackedPolicySize")) << out;
}

TEST_F(StsTest, SessionCredentialsHaveAwsShapesAndAreNeverReused) {
  const std::string arn = createRole("deployer", kTrustAccount);
  std::set<std::string> secrets, tokens;
  for (int i = 0; i < 20; ++i) {
    std::string name = "s";
    name += std::to_string(i);
    json creds = ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", name}})["Credentials"];
    const std::string secret = creds["SecretAccessKey"], token = creds["SessionToken"];
    EXPECT_EQ(secret.size(), 40u);
    EXPECT_EQ(token.size(), 356u);
    EXPECT_TRUE(token.starts_with("IQoJb3JpZ2luX2VjE")) << token;
    for (const std::string& s : {secret, token})
      EXPECT_EQ(s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
                std::string::npos)
          << s;
    EXPECT_EQ(token.find(secret), std::string::npos) << "the secret must not be part of the token";
    secrets.insert(secret);
    tokens.insert(token);
  }
  EXPECT_EQ(secrets.size(), 20u);
  EXPECT_EQ(tokens.size(), 20u);
}

TEST_F(StsTest, ConcurrentAssumeRolesEachAddTheirOwnSession) {
  const std::string arn = createRole("deployer", kTrustAccount);
  const OperationHandler* handler = table_.find("sts", "AssumeRole");
  ASSERT_NE(handler, nullptr);
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Call c;
      c.service = "sts";
      c.action = "AssumeRole";
      c.region = "eu-west-1";
      c.caller = caller_;
      c.now = now_;
      for (int i = 0; i < kEach; ++i) {
        std::string name = "t";
        name += std::to_string(t * kEach + i);
        auto out = (*handler)(c, json{{"RoleArn", arn}, {"RoleSessionName", name}});
        if (!out) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_.sessionCount(), static_cast<std::size_t>(kThreads * kEach));
}

TEST_F(StsTest, AssumeRoleRacingDeleteRoleIssuesSessionsOnlyOfTheRoleItDecidedOn) {
  // DeleteRole and CreateRole of the same name race AssumeRole: every
  // session issued names the role it was decided on (its id), and every
  // refusal is AWS's refusal of a role that does not exist.
  const std::string arn = createRole("flaky", kTrustAccount);
  const OperationHandler* assume = table_.find("sts", "AssumeRole");
  const OperationHandler* create = table_.find("iam", "CreateRole");
  const OperationHandler* remove = table_.find("iam", "DeleteRole");
  Call c;
  c.region = "eu-west-1";
  c.caller = caller_;
  c.now = now_;
  std::atomic<bool> done{false};
  std::thread churn([&] {
    Call ic = c;
    ic.service = "iam";
    for (int i = 0; i < 200; ++i) {
      (void)(*remove)(ic, json{{"RoleName", "flaky"}});
      (void)(*create)(ic, json{{"RoleName", "flaky"}, {"AssumeRolePolicyDocument", kTrustAccount}});
    }
    done = true;
  });
  std::string refusal = "User: arn:aws:iam::123456789012:root is not authorized to perform: sts:AssumeRole on resource: ";
  refusal += arn;
  int issued = 0;
  Call sc = c;
  sc.service = "sts";
  for (int i = 0; !done || i < 10; ++i) {
    auto out = (*assume)(sc, json{{"RoleArn", arn}, {"RoleSessionName", "s"}});
    if (!out) {
      EXPECT_EQ(out.error().codeName(), "AccessDenied");
      EXPECT_EQ(out.error().message, refusal);
      continue;
    }
    ++issued;
    auto credential = store_.findAccessKey((*out)["Credentials"]["AccessKeyId"].get<std::string>());
    ASSERT_TRUE(credential);
    const std::string assumed_id = (*out)["AssumedRoleUser"]["AssumedRoleId"];
    std::shared_lock lock(store_.mutex());
    auto session = store_.findSession(credential->access_key_id);
    ASSERT_NE(session, nullptr);
    EXPECT_EQ(assumed_id, session->role_id + ":s");
    EXPECT_TRUE(session->role_id.starts_with("AROA")) << session->role_id;
  }
  churn.join();
  EXPECT_GT(issued, 0);
}

TEST_F(StsTest, AssumedRoleSessionIsAuthenticatedAndIdentifiedThroughTheStore) {
  const std::string arn = createRole("deployer", kTrustAccount);
  json creds = ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s1"}})["Credentials"];
  auto credential = store_.findAccessKey(creds["AccessKeyId"].get<std::string>());
  ASSERT_TRUE(credential);
  EXPECT_EQ(credential->secret_access_key, creds["SecretAccessKey"]);
  EXPECT_EQ(credential->session_token, creds["SessionToken"]);
  ASSERT_TRUE(credential->expiration);
  EXPECT_EQ(formatIso8601(*credential->expiration), creds["Expiration"]);

  callWith(creds["AccessKeyId"]);
  json me = ok("GetCallerIdentity");
  EXPECT_EQ(me["Arn"], "arn:aws:sts::123456789012:assumed-role/deployer/s1");
  EXPECT_TRUE(me["UserId"].get<std::string>().starts_with("AROA")) << me;
  EXPECT_TRUE(me["UserId"].get<std::string>().ends_with(":s1")) << me;
}

TEST_F(StsTest, AssumeRoleRecordsTheRolesLastUse) {
  const std::string arn = createRole("deployer", kTrustAccount);
  ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s1"}});
  json role = ok("GetRole", {{"RoleName", "deployer"}}, "iam")["Role"];
  EXPECT_EQ(role["RoleLastUsed"]["LastUsedDate"], "2024-05-01T12:00:00Z") << role;
  EXPECT_EQ(role["RoleLastUsed"]["Region"], "eu-west-1") << role;
}

TEST_F(StsTest, AssumeRoleDurationIsBoundedByTheRolesMaxSessionDuration) {
  const std::string arn = createRole("long", kTrustAccount, 7200);
  json out = ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}, {"DurationSeconds", 7200}});
  EXPECT_EQ(out["Credentials"]["Expiration"], "2024-05-01T14:00:00Z");
  expectError("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}, {"DurationSeconds", 7201}},
              ErrorCode::ValidationError,
              "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
}

TEST_F(StsTest, RoleChainingIsLimitedToOneHour) {
  const std::string first = createRole("first", kTrustAccount, 43200);
  const std::string second = createRole("second", trustPolicy({{"AWS", first}}), 43200);
  json creds = ok("AssumeRole", {{"RoleArn", first}, {"RoleSessionName", "a"}})["Credentials"];
  callWith(creds["AccessKeyId"]);
  expectError("AssumeRole", {{"RoleArn", second}, {"RoleSessionName", "b"}, {"DurationSeconds", 3601}},
              ErrorCode::ValidationError,
              "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  // The trust policy names the role behind the session.
  json out = ok("AssumeRole", {{"RoleArn", second}, {"RoleSessionName", "b"}, {"DurationSeconds", 3600}});
  EXPECT_EQ(out["AssumedRoleUser"]["Arn"], "arn:aws:sts::123456789012:assumed-role/second/b");
}

TEST_F(StsTest, AssumingAMissingRoleIsAccessDenied) {
  expectError("AssumeRole", {{"RoleArn", "arn:aws:iam::123456789012:role/ghost"}, {"RoleSessionName", "s"}},
              ErrorCode::AccessDenied,
              "User: arn:aws:iam::123456789012:root is not authorized to perform: sts:AssumeRole on resource: "
              "arn:aws:iam::123456789012:role/ghost");
  expectError("AssumeRole", {{"RoleArn", "arn:aws:iam::123456789012:user/ghost"}, {"RoleSessionName", "s"}},
              ErrorCode::AccessDenied, "");
  // A role of that name but under another path is not the role named.
  createRole("pathed", kTrustAccount, 3600, "/team/");
  expectError("AssumeRole", {{"RoleArn", "arn:aws:iam::123456789012:role/pathed"}, {"RoleSessionName", "s"}},
              ErrorCode::AccessDenied, "");
}

TEST_F(StsTest, TrustPolicyDecidesWhoMayAssumeTheRole) {
  struct Case {
    std::string name;
    std::string trust;
    bool allowed;
  };
  const json kExternal = {{"StringEquals", {{"sts:ExternalId", "ext-123"}}}};
  const std::vector<Case> cases = {
      {"account root ARN", trustPolicy({{"AWS", "arn:aws:iam::123456789012:root"}}), true},
      {"bare account id", trustPolicy({{"AWS", "123456789012"}}), true},
      {"star", trustPolicy("*"), true},
      {"AWS star", trustPolicy({{"AWS", "*"}}), true},
      {"list containing the caller", trustPolicy({{"AWS", {"arn:aws:iam::999999999999:root", "123456789012"}}}),
       true},
      {"sts:* action", trustPolicy({{"AWS", "123456789012"}}, nullptr, "Allow", "sts:*"), true},
      {"* action", trustPolicy({{"AWS", "123456789012"}}, nullptr, "Allow", "*"), true},
      {"wildcard action ignoring case", trustPolicy({{"AWS", "123456789012"}}, nullptr, "Allow", "STS:Assume*"),
       true},
      {"another account", trustPolicy({{"AWS", "arn:aws:iam::999999999999:root"}}), false},
      {"a service principal", trustPolicy({{"Service", "ec2.amazonaws.com"}}), false},
      {"another action", trustPolicy({{"AWS", "123456789012"}}, nullptr, "Allow", "sts:TagSession"), false},
      {"a deny", trustPolicy({{"AWS", "123456789012"}}, nullptr, "Deny"), false},
      {"an external id the request lacks", trustPolicy({{"AWS", "123456789012"}}, kExternal), false},
      {"MFA required", trustPolicy({{"AWS", "123456789012"}}, {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}}),
       false},
      {"MFA age required",
       trustPolicy({{"AWS", "123456789012"}}, {{"NumericLessThan", {{"aws:MultiFactorAuthAge", "3600"}}}}), false},
      {"no statement", R"({"Version":"2012-10-17","Statement":[]})", false},
  };
  int n = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string name = "role" + std::to_string(++n);
    const std::string arn = createRole(name, kTrustAccount);
    setTrust(name, c.trust);
    auto result = call("sts", "AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}});
    EXPECT_EQ(result.has_value(), c.allowed) << (result ? result->dump() : result.error().message);
    if (!result) {
      EXPECT_EQ(result.error().code, ErrorCode::AccessDenied);
      EXPECT_EQ(result.error().message, "User: arn:aws:iam::123456789012:root is not authorized to perform: "
                                        "sts:AssumeRole on resource: " + arn);
    }
  }
}

TEST_F(StsTest, TrustPolicyThatIsNotJsonAllowsNobody) {
  const std::string arn = createRole("broken", kTrustAccount);
  setTrust("broken", "{not json");
  expectError("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}}, ErrorCode::AccessDenied, "");
}

TEST_F(StsTest, TrustPolicyNamingTheUserLetsOnlyThatUserIn) {
  const std::string arn = createRole("for-alice", trustPolicy({{"AWS", "arn:aws:iam::123456789012:user/alice"}}));
  expectError("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}}, ErrorCode::AccessDenied, "");
  callAsUser("alice");
  json out = ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}});
  EXPECT_EQ(out["AssumedRoleUser"]["Arn"], "arn:aws:sts::123456789012:assumed-role/for-alice/s");
  callAsUser("bob");
  expectError("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}}, ErrorCode::AccessDenied,
              "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:AssumeRole on resource: " +
                  arn);
}

TEST_F(StsTest, ExternalIdMustMatchExactly) {
  const std::string arn =
      createRole("vendor", trustPolicy({{"AWS", "123456789012"}}, {{"StringEquals", {{"sts:ExternalId", "Ext-1"}}}}));
  expectError("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}}, ErrorCode::AccessDenied, "");
  expectError("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}, {"ExternalId", "ext-1"}},
              ErrorCode::AccessDenied, "");
  ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}, {"ExternalId", "Ext-1"}});
}

TEST_F(StsTest, CrossAccountAssumeRoleActsInTheRolesAccount) {
  {
    // A role in another account that trusts this one.
    auth::Principal saved = caller_;
    caller_ = auth::rootPrincipal(kOtherAccount);
    createRole("shared", trustPolicy({{"AWS", "arn:aws:iam::123456789012:root"}}));
    caller_ = saved;
  }
  json out = ok("AssumeRole", {{"RoleArn", "arn:aws:iam::111111111111:role/shared"}, {"RoleSessionName", "x"}});
  EXPECT_EQ(out["AssumedRoleUser"]["Arn"], "arn:aws:sts::111111111111:assumed-role/shared/x");
  callWith(out["Credentials"]["AccessKeyId"]);
  EXPECT_EQ(ok("GetCallerIdentity")["Account"], "111111111111");
}

TEST_F(StsTest, SessionPolicyReportsPackedSizeAndMustBeJson) {
  const std::string arn = createRole("scoped", kTrustAccount);
  const std::string policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
  json out = ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}, {"Policy", policy}});
  ASSERT_TRUE(out.contains("PackedPolicySize")) << out;
  EXPECT_GT(out["PackedPolicySize"].get<int>(), 0);
  EXPECT_LE(out["PackedPolicySize"].get<int>(), 100);
  // Session tags also need sts:TagSession in the trust policy.
  setTrust("scoped", trustPolicy({{"AWS", "123456789012"}}, nullptr, "Allow", {"sts:AssumeRole", "sts:TagSession"}));
  out = ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}, {"Tags", {{{"Key", "team"}, {"Value", "a"}}}}});
  EXPECT_TRUE(out.contains("PackedPolicySize")) << out;
  expectError("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}, {"Policy", "{nope"}},
              ErrorCode::MalformedPolicyDocument, "Syntax errors in policy.");
}

// A session policy of exactly `bytes` characters, written without
// insignificant whitespace.
std::string sessionPolicyOfSize(std::size_t bytes) {
  const std::string head =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::)";
  const std::string tail = R"("}]})";
  return head + std::string(bytes - head.size() - tail.size(), 'b') + tail;
}

// `count` session tags of 256 bytes each (a 6-character key, a 250-character value).
json sessionTagsOf(int count) {
  json tags = json::array();
  for (int i = 0; i < count; ++i) {
    const std::string key = (i < 10 ? "tag-0" : "tag-") + std::to_string(i);
    tags.push_back({{"Key", key}, {"Value", std::string(250, 'v')}});
  }
  return tags;
}

TEST_F(StsTest, SessionPolicyAndTagsBeyondThePackedLimitArePackedPolicyTooLarge) {
  const std::string arn = createRole(
      "packed", trustPolicy({{"AWS", "123456789012"}}, nullptr, "Allow", {"sts:AssumeRole", "sts:TagSession"}));
  auto input = [&arn](json extra) {
    extra["RoleArn"] = arn;
    extra["RoleSessionName"] = "s";
    return extra;
  };
  // Exactly the limit (2,048 bytes) is 100 %; whitespace in the policy does not count.
  json out = ok("AssumeRole", input({{"Policy", json::parse(sessionPolicyOfSize(2048)).dump(2)}}));
  EXPECT_EQ(out.value("PackedPolicySize", 0), 100) << out;
  out = ok("AssumeRole", input({{"Tags", sessionTagsOf(8)}}));
  EXPECT_EQ(out.value("PackedPolicySize", 0), 100) << out;

  struct Case {
    const char* name;
    json extra;
    int percent;
  };
  const Case cases[] = {
      {"policy", {{"Policy", sessionPolicyOfSize(3072)}}, 150},
      {"tags", {{"Tags", sessionTagsOf(9)}}, 113},
      {"policy and tags", {{"Policy", sessionPolicyOfSize(1024)}, {"Tags", sessionTagsOf(5)}}, 113},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto result = call("sts", "AssumeRole", input(c.extra));
    ASSERT_FALSE(result.has_value()) << result->dump();
    EXPECT_EQ(result.error().codeName(), "PackedPolicyTooLarge") << result.error().message;
    EXPECT_EQ(result.error().httpStatus(), 400);
    EXPECT_EQ(result.error().message, "Packed policy consumes " + std::to_string(c.percent) +
                                          "% of allotted space, please use smaller policy for session.");
  }
}

TEST_F(StsTest, GetSessionTokenForAUserActsAsTheUser) {
  callAsUser("alice");
  json creds = ok("GetSessionToken")["Credentials"];
  EXPECT_TRUE(creds["AccessKeyId"].get<std::string>().starts_with("ASIA")) << creds;
  EXPECT_EQ(creds["Expiration"], "2024-05-02T00:00:00Z");  // 12 hours by default
  callWith(creds["AccessKeyId"]);
  EXPECT_EQ(ok("GetCallerIdentity")["Arn"], "arn:aws:iam::123456789012:user/alice");
  // Session credentials cannot get another session token.
  expectError("GetSessionToken", json::object(), ErrorCode::AccessDenied,
              "Cannot call GetSessionToken with session credentials");
}

TEST_F(StsTest, SessionsRecordTheOperationThatIssuedThemAndGetSessionTokensMfa) {
  // What the credentials may call later depends on both (authorizer.h,
  // temporaryCredentialRefusal).
  callAsUser("alice");
  auto plain = session(ok("GetSessionToken")["Credentials"]);
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->issued_by, store::Session::IssuedBy::GetSessionToken);
  EXPECT_FALSE(plain->mfa_authenticated);

  const std::string serial = giveMfaDevice("alice");
  const std::string code = auth::hotpCode(seed_, auth::totpStep(now_));
  auto with_mfa =
      session(ok("GetSessionToken", {{"SerialNumber", serial}, {"TokenCode", code}})["Credentials"]);
  ASSERT_NE(with_mfa, nullptr);
  EXPECT_EQ(with_mfa->issued_by, store::Session::IssuedBy::GetSessionToken);
  EXPECT_TRUE(with_mfa->mfa_authenticated);

  const std::string arn = createRole("marked", kTrustAccount);
  auto role = session(ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}})["Credentials"]);
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->issued_by, store::Session::IssuedBy::AssumeRole);
}

TEST_F(StsTest, GetSessionTokenHonoursDurationAndCapsTheRootAtOneHour) {
  json creds = ok("GetSessionToken", {{"DurationSeconds", 129600}})["Credentials"];
  EXPECT_EQ(creds["Expiration"], "2024-05-01T13:00:00Z");
  callAsUser("alice");
  creds = ok("GetSessionToken", {{"DurationSeconds", 900}})["Credentials"];
  EXPECT_EQ(creds["Expiration"], "2024-05-01T12:15:00Z");
}

TEST_F(StsTest, AssumedRoleSessionCannotGetASessionToken) {
  const std::string arn = createRole("r", kTrustAccount);
  callWith(ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s"}})["Credentials"]["AccessKeyId"]);
  expectError("GetSessionToken", json::object(), ErrorCode::AccessDenied,
              "Cannot call GetSessionToken with session credentials");
}

TEST_F(StsTest, GetAccessKeyInfoNamesTheAccountOfKeysWeIssued) {
  callAsUser("alice");
  const std::string user_key = caller_.access_key_id;
  caller_ = auth::rootPrincipal(kOtherAccount);
  EXPECT_EQ(ok("GetAccessKeyInfo", {{"AccessKeyId", user_key}})["Account"], "123456789012");
  EXPECT_EQ(ok("GetAccessKeyInfo", {{"AccessKeyId", "AKIAUNKNOWNUNKNOWN00"}})["Account"], "000000000000");
}

TEST_F(StsTest, DecodeAuthorizationMessageRefusesMessagesItDidNotIssue) {
  expectError("DecodeAuthorizationMessage", {{"EncodedMessage", "abc"}},
              ErrorCode::InvalidAuthorizationMessageException, "");
}

TEST_F(StsTest, ExpiredSessionsAreForgottenOnlyLongAfterTheyExpire) {
  const std::string arn = createRole("r", kTrustAccount);
  json old_creds = ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "old"}, {"DurationSeconds", 900}});
  const std::string old_key = old_creds["Credentials"]["AccessKeyId"];
  // Just expired: still known (its use answers ExpiredToken).
  now_ += std::chrono::minutes(20);
  ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "a"}});
  EXPECT_TRUE(store_.findAccessKey(old_key));
  // Long expired: the next new session sweeps it.
  now_ += store::kExpiredSessionRetention;
  ok("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "b"}});
  EXPECT_FALSE(store_.findAccessKey(old_key));
  EXPECT_EQ(store_.sessionCount(), 2u);
}

}  // namespace
}  // namespace iamlocal::services
