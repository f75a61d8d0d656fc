// The authorizer against a real Store filled through the IAM handlers: the
// request context AWS builds for users, roles' sessions and the root; the
// decisions over their policies; AWS's AccessDenied texts; and EC2's
// UnauthorizedOperation with a message STS can decode.
#include "iamlocal/services/authorizer.h"

#include <mutex>
#include <shared_mutex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "iamlocal/auth/sigv4.h"
#include "iamlocal/services/authorization_message.h"
#include "iamlocal/services/iam.h"
#include "iamlocal/services/query_endpoint.h"
#include "iamlocal/services/sts.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;
using policy::DecisionType;
using policy::PolicyLayer;

constexpr std::string_view kAccount = "123456789012";

std::string allow(const std::string& action, const std::string& resource = "*", const json& condition = nullptr) {
  json st = {{"Effect", "Allow"}, {"Action", action}, {"Resource", resource}};
  if (!condition.is_null()) st["Condition"] = condition;
  return json{{"Version", "2012-10-17"}, {"Statement", json::array({st})}}.dump();
}
std::string deny(const std::string& action, const std::string& resource = "*") {
  json st = {{"Effect", "Deny"}, {"Action", action}, {"Resource", resource}};
  return json{{"Version", "2012-10-17"}, {"Statement", json::array({st})}}.dump();
}

class AuthorizerTest : public ::testing::Test {
 public:
  AuthorizerTest() {
    registerIamOperations(table_, store_);
    parseIso8601("2024-05-01T12:00:00Z", now_);
    iam("CreateUser", {{"UserName", "alice"}, {"Path", "/dev/"}, {"Tags", {{{"Key", "Team"}, {"Value", "blue"}}}}});
    iam("CreateAccessKey", {{"UserName", "alice"}});
    iam("CreateRole", {{"RoleName", "deployer"},
                       {"AssumeRolePolicyDocument", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                         "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]})"},
                       {"Tags", {{{"Key", "Team"}, {"Value", "red"}}, {{"Key", "Tier"}, {"Value", "ops"}}}}});
  }

  json iam(std::string_view action, const json& input) {
    Call c = rootCall(action);
    auto r = (*table_.find("iam", action))(c, input);
    if (!r) {
      ADD_FAILURE() << action << ": " << r.error().message;
      return json::object();
    }
    return *r;
  }

  Call rootCall(std::string_view action = "ListUsers") const {
    Call c;
    c.service = "iam";
    c.action = std::string(action);
    c.region = "us-east-1";
    c.source_ip = "10.1.2.3";
    c.caller = auth::rootPrincipal(kAccount, "AKIAROOT");
    c.now = now_;
    return c;
  }

  Call aliceCall() const {
    Call c = rootCall();
    const store::User& alice = store_.findAccount(kAccount)->users.at("alice");
    c.caller.type = auth::PrincipalType::User;
    c.caller.arn = alice.arn;
    c.caller.user_id = alice.id;
    c.caller.name = "alice";
    c.caller.access_key_id = alice.access_key_ids.front();
    return c;
  }

  // A session of "deployer" with its own tags, as AssumeRole would add it.
  Call sessionCall(bool mfa) {
    std::unique_lock lock(store_.mutex());
    const store::Account& account = *store_.findAccount(kAccount);
    store::Session s = newRoleSession(account, account.roles.at("deployer"), "build", 3600, now_ - std::chrono::minutes(5));
    s.tags = {{"team", "green"}};
    s.source_identity = "carol";
    s.mfa_authenticated = mfa;
    Call c = rootCall();
    c.caller = s.principal;
    store_.addSession(std::move(s), now_);
    return c;
  }

  const policy::ContextEntry* key(std::string_view k) const { return context_.find(k); }
  std::string value(std::string_view k) const {
    const auto* e = key(k);
    return e == nullptr || e->values.empty() ? "<absent>" : e->values.front();
  }

  void fill(const Call& call, const AccessCheck& check) {
    std::shared_lock lock(store_.mutex());
    fillRequestContext(store_, call, check, context_);
  }
  policy::Decision decide(const Call& call, const AccessCheck& check) {
    std::shared_lock lock(store_.mutex());
    return decideAccess(store_, call, check);
  }

  OperationTable table_;
  store::Store store_;
  TimePoint now_;
  policy::RequestContext context_;
};

TEST_F(AuthorizerTest, UserContextCarriesTheGlobalKeysAwsSets) {
  Call call = aliceCall();
  fill(call, AccessCheck{"iam:GetUser", "arn:aws:iam::123456789012:user/dev/alice", {}});
  EXPECT_EQ(context_.action, "iam:GetUser");
  EXPECT_EQ(context_.principal_arn, "arn:aws:iam::123456789012:user/dev/alice");
  EXPECT_EQ(context_.principal_account, "123456789012");
  EXPECT_FALSE(context_.principal_is_root);
  EXPECT_EQ(value("aws:principalarn"), "arn:aws:iam::123456789012:user/dev/alice");
  EXPECT_EQ(value("aws:principalaccount"), "123456789012");
  EXPECT_EQ(value("aws:principaltype"), "User");
  EXPECT_EQ(value("aws:username"), "alice");
  EXPECT_EQ(value("aws:userid"), call.caller.user_id);
  EXPECT_EQ(value("aws:principaltag/team"), "blue");
  EXPECT_EQ(value("aws:sourceip"), "10.1.2.3");
  EXPECT_EQ(value("aws:securetransport"), "false");
  EXPECT_EQ(value("aws:requestedregion"), "us-east-1");
  EXPECT_EQ(value("aws:currenttime"), "2024-05-01T12:00:00Z");
  EXPECT_EQ(value("aws:epochtime"), "1714564800");
  // Her own user is the resource: its tags are aws:ResourceTag, and, for a
  // user or role, IAM's iam:ResourceTag too.
  EXPECT_EQ(value("aws:resourcetag/team"), "blue");
  EXPECT_EQ(value("iam:resourcetag/team"), "blue");
  // Long-term keys carry no MFA or token keys at all.
  EXPECT_EQ(key("aws:multifactorauthpresent"), nullptr);
  EXPECT_EQ(key("aws:multifactorauthage"), nullptr);
  EXPECT_EQ(key("aws:tokenissuetime"), nullptr);
}

TEST_F(AuthorizerTest, RoleSessionTagsOverrideTheRolesAndSessionKeysAppear) {
  Call call = sessionCall(/*mfa=*/true);
  fill(call, AccessCheck{"iam:ListRoles", "arn:aws:iam::123456789012:role/", {}});
  EXPECT_EQ(context_.role_arn, "arn:aws:iam::123456789012:role/deployer");
  EXPECT_EQ(value("aws:principaltype"), "AssumedRole");
  EXPECT_EQ(value("aws:principalarn"), "arn:aws:sts::123456789012:assumed-role/deployer/build");
  EXPECT_EQ(key("aws:username"), nullptr);
  EXPECT_EQ(value("aws:principaltag/team"), "green");  // the session's, not the role's "red"
  EXPECT_EQ(value("aws:principaltag/tier"), "ops");    // the role's, not overridden
  EXPECT_EQ(value("aws:multifactorauthpresent"), "true");
  EXPECT_EQ(value("aws:multifactorauthage"), "300");
  EXPECT_EQ(value("aws:tokenissuetime"), "2024-05-01T11:55:00Z");
  EXPECT_EQ(value("aws:sourceidentity"), "carol");
}

TEST_F(AuthorizerTest, SessionWithoutMfaSaysFalseAndHasNoAge) {
  fill(sessionCall(/*mfa=*/false), AccessCheck{"iam:ListRoles", "*", {}});
  EXPECT_EQ(value("aws:multifactorauthpresent"), "false");
  EXPECT_EQ(key("aws:multifactorauthage"), nullptr);
}

TEST_F(AuthorizerTest, ReusedContextKeepsNoKeyOfAnEarlierRequest) {
  fill(sessionCall(true), AccessCheck{"iam:GetRole", "arn:aws:iam::123456789012:role/deployer", {}});
  ASSERT_NE(key("aws:resourcetag/tier"), nullptr);
  fill(rootCall(), AccessCheck{"iam:ListUsers", "arn:aws:iam::123456789012:user/", {}});
  EXPECT_TRUE(context_.principal_is_root);
  EXPECT_EQ(context_.role_arn, "");
  EXPECT_EQ(value("aws:principaltype"), "Account");
  for (std::string_view gone : {"aws:resourcetag/tier", "aws:principaltag/team", "aws:multifactorauthpresent",
                                "aws:sourceidentity", "aws:username"})
    EXPECT_EQ(key(gone), nullptr) << gone;
}

TEST_F(AuthorizerTest, CheckContextIsAddedAndWinsOverTheSameKey) {
  AccessCheck check{"iam:TagUser", "arn:aws:iam::123456789012:user/dev/alice", {}};
  check.context.push_back({"aws:requesttag/owner", policy::ContextKeyType::String, {"bob"}});
  check.context.push_back({"aws:resourcetag/team", policy::ContextKeyType::String, {"override"}});
  fill(aliceCall(), check);
  EXPECT_EQ(value("aws:requesttag/owner"), "bob");
  EXPECT_EQ(value("aws:resourcetag/team"), "override");
}

TEST_F(AuthorizerTest, ResourceTagsNeedTheEntitysExactArn) {
  fill(aliceCall(), AccessCheck{"iam:GetUser", "arn:aws:iam::123456789012:user/alice", {}});  // wrong path
  EXPECT_EQ(key("aws:resourcetag/team"), nullptr);
  EXPECT_EQ(key("iam:resourcetag/team"), nullptr);
}

TEST_F(AuthorizerTest, OnlyUsersAndRolesHaveIamResourceTags) {
  fill(aliceCall(), AccessCheck{"iam:GetRole", "arn:aws:iam::123456789012:role/deployer", {}});
  EXPECT_EQ(value("iam:resourcetag/tier"), "ops");
  iam("CreatePolicy", {{"PolicyName", "tagged"},
                       {"PolicyDocument", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})"},
                       {"Tags", {{{"Key", "Team"}, {"Value", "gold"}}}}});
  fill(aliceCall(), AccessCheck{"iam:GetPolicy", "arn:aws:iam::123456789012:policy/tagged", {}});
  EXPECT_EQ(value("aws:resourcetag/team"), "gold");
  EXPECT_EQ(key("iam:resourcetag/team"), nullptr);
}

TEST_F(AuthorizerTest, UserWithoutPoliciesIsImplicitlyDeniedByIdentityPolicies) {
  AccessCheck check{"iam:ListUsers", "arn:aws:iam::123456789012:user/", {}};
  auto d = decide(aliceCall(), check);
  EXPECT_EQ(d.type, DecisionType::ImplicitDeny);
  EXPECT_EQ(d.layer, PolicyLayer::Identity);
  EXPECT_EQ(accessDenied(aliceCall(), check, d).message,
            "User: arn:aws:iam::123456789012:user/dev/alice is not authorized to perform: iam:ListUsers on resource: "
            "arn:aws:iam::123456789012:user/ because no identity-based policy allows the iam:ListUsers action");
  EXPECT_EQ(accessDenied(aliceCall(), check, d).httpStatus(), 403);
}

TEST_F(AuthorizerTest, AllowThenExplicitDenyWins) {
  AccessCheck check{"iam:ListUsers", "arn:aws:iam::123456789012:user/", {}};
  iam("PutUserPolicy", {{"UserName", "alice"}, {"PolicyName", "read"}, {"PolicyDocument", allow("iam:List*")}});
  EXPECT_TRUE(decide(aliceCall(), check).allowed());
  iam("PutUserPolicy", {{"UserName", "alice"}, {"PolicyName", "no"}, {"PolicyDocument", deny("iam:ListUsers")}});
  auto d = decide(aliceCall(), check);
  EXPECT_EQ(d.type, DecisionType::ExplicitDeny);
  EXPECT_EQ(accessDenied(aliceCall(), check, d).message,
            "User: arn:aws:iam::123456789012:user/dev/alice is not authorized to perform: iam:ListUsers on resource: "
            "arn:aws:iam::123456789012:user/ with an explicit deny in an identity-based policy");
}

TEST_F(AuthorizerTest, BoundaryLimitsWhatIdentityPoliciesAllow) {
  iam("PutUserPolicy", {{"UserName", "alice"}, {"PolicyName", "all"}, {"PolicyDocument", allow("iam:*")}});
  json created = iam("CreatePolicy", {{"PolicyName", "only-get"}, {"PolicyDocument", allow("iam:Get*")}});
  iam("PutUserPermissionsBoundary",
      {{"UserName", "alice"}, {"PermissionsBoundary", created["Policy"]["Arn"].get<std::string>()}});
  EXPECT_TRUE(decide(aliceCall(), AccessCheck{"iam:GetUser", "*", {}}).allowed());
  AccessCheck list{"iam:ListRoles", "arn:aws:iam::123456789012:role/", {}};
  auto d = decide(aliceCall(), list);
  EXPECT_EQ(d.type, DecisionType::ImplicitDeny);
  EXPECT_EQ(d.layer, PolicyLayer::PermissionsBoundary);
  EXPECT_EQ(denialReason(list, d), "because no permissions boundary allows the iam:ListRoles action");
}

TEST_F(AuthorizerTest, TagConditionsSeeRequestPrincipalAndResourceTags) {
  iam("PutUserPolicy", {{"UserName", "alice"},
                        {"PolicyName", "same-team"},
                        {"PolicyDocument", allow("iam:GetUser", "*",
                                                 {{"StringEquals", {{"aws:ResourceTag/team", "${aws:PrincipalTag/team}"}}}})}});
  EXPECT_TRUE(decide(aliceCall(), AccessCheck{"iam:GetUser", "arn:aws:iam::123456789012:user/dev/alice", {}}).allowed());
  EXPECT_FALSE(decide(aliceCall(), AccessCheck{"iam:GetUser", "arn:aws:iam::123456789012:role/deployer", {}}).allowed());
}

TEST_F(AuthorizerTest, RootIsAllowedWithoutAnyPolicy) {
  EXPECT_TRUE(decide(rootCall(), AccessCheck{"iam:DeleteUser", "arn:aws:iam::123456789012:user/dev/alice", {}}).allowed());
}

TEST_F(AuthorizerTest, RoleSessionIsGovernedByTheRolesPolicies) {
  Call call = sessionCall(false);
  AccessCheck check{"iam:ListRoles", "arn:aws:iam::123456789012:role/", {}};
  EXPECT_FALSE(decide(call, check).allowed());
  iam("AttachRolePolicy", {{"RoleName", "deployer"}, {"PolicyArn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess"}});
  EXPECT_TRUE(decide(call, check).allowed());
  EXPECT_FALSE(decide(call, AccessCheck{"iam:CreateUser", "arn:aws:iam::123456789012:user/x", {}}).allowed());
}

TEST_F(AuthorizerTest, EveryDenialReasonReadsAsAws) {
  AccessCheck check{"iam:GetRole", "arn:aws:iam::123456789012:role/r", {}};
  struct Case {
    DecisionType type;
    PolicyLayer layer;
    std::string_view reason;
  };
  for (const Case& c : {
           Case{DecisionType::ImplicitDeny, PolicyLayer::Identity, "because no identity-based policy allows the iam:GetRole action"},
           Case{DecisionType::ImplicitDeny, PolicyLayer::Resource, "because no resource-based policy allows the iam:GetRole action"},
           Case{DecisionType::ImplicitDeny, PolicyLayer::PermissionsBoundary, "because no permissions boundary allows the iam:GetRole action"},
           Case{DecisionType::ImplicitDeny, PolicyLayer::Session, "because no session policy allows the iam:GetRole action"},
           Case{DecisionType::ExplicitDeny, PolicyLayer::Identity, "with an explicit deny in an identity-based policy"},
           Case{DecisionType::ExplicitDeny, PolicyLayer::Resource, "with an explicit deny in a resource-based policy"},
           Case{DecisionType::ExplicitDeny, PolicyLayer::PermissionsBoundary, "with an explicit deny in a permissions boundary"},
           Case{DecisionType::ExplicitDeny, PolicyLayer::Session, "with an explicit deny in a session policy"},
       }) {
    SCOPED_TRACE(c.reason);
    policy::Decision d;
    d.type = c.type;
    d.layer = c.layer;
    EXPECT_EQ(denialReason(check, d), c.reason);
  }
}

TEST_F(AuthorizerTest, FirstDeniedCheckAnswersAndEc2SaysUnauthorizedOperationWithADecodableMessage) {
  iam("PutUserPolicy", {{"UserName", "alice"}, {"PolicyName", "p"}, {"PolicyDocument", allow("iam:GetUser")}});
  std::vector<AccessCheck> checks = {{"iam:GetUser", "*", {}}, {"iam:PassRole", "arn:aws:iam::123456789012:role/deployer", {}}};
  Call call = aliceCall();
  auto refused = authorizeChecks(store_, call, checks);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, ErrorCode::AccessDenied);
  EXPECT_NE(refused->message.find("perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/deployer"),
            std::string::npos);
  EXPECT_FALSE(authorizeChecks(store_, call, std::span(checks).first(1)));

  call.service = "ec2";
  std::vector<AccessCheck> run = {{"ec2:RunInstances", "arn:aws:ec2:us-east-1:123456789012:instance/*", {}}};
  refused = authorizeChecks(store_, call, run);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, ErrorCode::UnauthorizedOperation);
  EXPECT_EQ(refused->httpStatus(), 403);
  const std::string prefix =
      "You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/dev/alice is not "
      "authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance/* because no "
      "identity-based policy allows the ec2:RunInstances action. Encoded authorization failure message: ";
  ASSERT_EQ(refused->message.substr(0, prefix.size()), prefix);
  auto decoded = decodeAuthorizationMessage(refused->message.substr(prefix.size()));
  ASSERT_TRUE(decoded);
  EXPECT_NE(decoded->find("ec2:RunInstances"), std::string::npos) << *decoded;
}

// The endpoint's hook: decodes, describes, decides, and answers or logs.
class EnforcementHookTest : public AuthorizerTest {
 public:
  EnforcementHookTest() {
    registerIamAccess(table_, store_);
    json key = iam("CreateAccessKey", {{"UserName", "alice"}})["AccessKey"];
    key_id_ = key["AccessKeyId"].get<std::string>();
    secret_ = key["SecretAccessKey"].get<std::string>();
  }

  http::Response send(AuthMode mode, const OperationTable& table, std::string body) {
    ManualClock clock(now_);
    QueryEndpointConfig config;
    config.default_account_id = std::string(kAccount);
    config.auth_mode = mode;
    config.store = &store_;
    QueryEndpoint endpoint(table, store_, clock, config);
    http::Request req;
    req.method = "POST";
    req.target = req.path = "/";
    req.body = std::move(body);
    req.headers = {{"host", "localhost:4566"}, {"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
    auth::SigningParams params;
    params.access_key_id = key_id_;
    params.secret_access_key = secret_;
    params.region = "us-east-1";
    params.service = "iam";
    params.time = now_;
    auth::signRequest(req, params);
    return endpoint.handle(req);
  }

  std::string key_id_, secret_;
};

constexpr const char* kListUsers = "Action=ListUsers&Version=2010-05-08";

TEST_F(EnforcementHookTest, EnforceAnswersAccessDeniedUntilAPolicyAllows) {
  auto r = send(AuthMode::Enforce, table_, kListUsers);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("<Code>AccessDenied</Code>"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<Message>User: arn:aws:iam::123456789012:user/dev/alice is not authorized to perform: "
                        "iam:ListUsers on resource: arn:aws:iam::123456789012:user/ because no identity-based policy "
                        "allows the iam:ListUsers action</Message>"),
            std::string::npos)
      << r.body;
  iam("PutUserPolicy", {{"UserName", "alice"}, {"PolicyName", "p"}, {"PolicyDocument", allow("iam:ListUsers")}});
  r = send(AuthMode::Enforce, table_, kListUsers);
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(EnforcementHookTest, SoftLetsTheDeniedRequestRun) {
  auto r = send(AuthMode::Soft, table_, kListUsers);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<ListUsersResult>"), std::string::npos) << r.body;
}

TEST_F(EnforcementHookTest, VerifyAuthorizesNothing) {
  EXPECT_EQ(send(AuthMode::Verify, table_, kListUsers).status, 200);
}

TEST_F(EnforcementHookTest, OperationWithoutAnAccessRuleIsRefusedNotAllowed) {
  OperationTable bare;
  registerIamOperations(bare, store_);  // handlers, but no access table
  iam("PutUserPolicy", {{"UserName", "alice"}, {"PolicyName", "p"}, {"PolicyDocument", allow("*")}});
  auto r = send(AuthMode::Enforce, bare, kListUsers);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("iamlocal has no access rule for this operation"), std::string::npos) << r.body;
}

TEST_F(EnforcementHookTest, InvalidInputIsReportedBeforeAuthorization) {
  // AWS validates the request before it authorizes it.
  auto r = send(AuthMode::Enforce, table_, "Action=GetUser&Version=2010-05-08&UserName=" + std::string(200, 'a'));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("<Code>ValidationError</Code>"), std::string::npos) << r.body;
}

// What GetSessionToken's and GetFederationToken's credentials may not call,
// as AWS documents ("Compare AWS STS credentials").
class TemporaryCredentialTest : public AuthorizerTest {
 public:
  // A session as the named operation would add it, acting as alice (or the
  // root, `as_root`); for GetFederationToken a federated user, for AssumeRoot
  // the root, for AssumeRole a session of "deployer".
  auth::Principal addSession(store::Session::IssuedBy issued_by, bool mfa, const std::string& key,
                             bool as_root = false) {
    using IssuedBy = store::Session::IssuedBy;
    store::Session s;
    s.access_key_id = key;
    s.secret_access_key = "secret";
    s.session_token = "token-" + key;
    s.expiration = now_ + std::chrono::hours(1);
    s.issued_by = issued_by;
    s.mfa_authenticated = mfa;
    s.issued_at = now_;
    switch (issued_by) {
      case IssuedBy::GetSessionToken:
        s.principal = as_root ? auth::rootPrincipal(kAccount) : aliceCall().caller;
        if (!as_root) s.source_user_name = "alice";
        break;
      case IssuedBy::GetFederationToken:
        s.principal = auth::Principal{auth::PrincipalType::FederatedUser, std::string(kAccount),
                                      "arn:aws:sts::123456789012:federated-user/fed", "123456789012:fed", "fed", ""};
        s.source_user_name = "alice";
        s.has_session_policies = true;
        break;
      case IssuedBy::AssumeRoot:
        s.principal = auth::rootPrincipal(kAccount);
        s.has_session_policies = true;
        break;
      case IssuedBy::AssumeRole:
        s.principal = sessionCall(false).caller;
        break;
    }
    s.principal.access_key_id = key;
    auth::Principal p = s.principal;
    std::unique_lock lock(store_.mutex());
    store_.addSession(std::move(s), now_);
    return p;
  }
};

TEST_F(TemporaryCredentialTest, EachKindOfCredentialsIsLimitedAsAwsDocuments) {
  using IssuedBy = store::Session::IssuedBy;
  const auth::Principal session_token = addSession(IssuedBy::GetSessionToken, false, "ASIASESSIONTOKEN");
  const auth::Principal session_token_mfa = addSession(IssuedBy::GetSessionToken, true, "ASIASESSIONTOKENMFA");
  const auth::Principal federated = addSession(IssuedBy::GetFederationToken, false, "ASIAFEDERATION");
  const auth::Principal root_session = addSession(IssuedBy::GetSessionToken, false, "ASIAROOTSESSIONTOKEN", true);
  const auth::Principal assume_root = addSession(IssuedBy::AssumeRoot, false, "ASIAASSUMEROOT");
  const auth::Principal role = addSession(IssuedBy::AssumeRole, false, "ASIAROLESESSION");
  const auth::Principal long_term = aliceCall().caller;
  const auth::Principal root = auth::rootPrincipal(kAccount, "AKIAROOT");

  constexpr std::string_view kInvalidToken = "The security token included in the request is invalid.";
  struct Case {
    const char* name;
    const auth::Principal& caller;
    std::string_view service, action;
    bool verified;
    std::optional<ErrorCode> code;  // nullopt: allowed
    std::string message;
  };
  const std::vector<Case> cases = {
      // GetSessionToken: IAM only with MFA; STS only AssumeRole and GetCallerIdentity.
      {"session token, IAM", session_token, "iam", "ListUsers", true, ErrorCode::InvalidClientTokenId,
       std::string(kInvalidToken)},
      {"session token, IAM, accept mode", session_token, "iam", "ListUsers", false, std::nullopt, ""},
      {"session token with MFA, IAM", session_token_mfa, "iam", "CreateUser", true, std::nullopt, ""},
      {"session token, AssumeRole", session_token, "sts", "AssumeRole", true, std::nullopt, ""},
      {"session token, GetCallerIdentity", session_token, "sts", "GetCallerIdentity", true, std::nullopt, ""},
      {"session token, GetSessionToken", session_token_mfa, "sts", "GetSessionToken", true, ErrorCode::AccessDenied,
       "Cannot call GetSessionToken with session credentials"},
      {"session token, GetFederationToken", session_token, "sts", "GetFederationToken", true, ErrorCode::AccessDenied,
       "Cannot call GetFederationToken with session credentials"},
      {"session token, DecodeAuthorizationMessage", session_token_mfa, "sts", "DecodeAuthorizationMessage", true,
       ErrorCode::AccessDenied, "Cannot call DecodeAuthorizationMessage with session credentials"},
      {"session token, GetAccessKeyInfo, accept mode", session_token, "sts", "GetAccessKeyInfo", false,
       ErrorCode::AccessDenied, "Cannot call GetAccessKeyInfo with session credentials"},
      {"session token, EC2", session_token, "ec2", "DescribeInstances", true, std::nullopt, ""},
      {"root's session token, IAM", root_session, "iam", "ListUsers", true, ErrorCode::InvalidClientTokenId,
       std::string(kInvalidToken)},
      // GetFederationToken: no IAM at all; STS only GetCallerIdentity.
      {"federation token, IAM", federated, "iam", "ListUsers", true, ErrorCode::InvalidClientTokenId,
       std::string(kInvalidToken)},
      {"federation token, IAM, accept mode", federated, "iam", "ListUsers", false, std::nullopt, ""},
      {"federation token, AssumeRole", federated, "sts", "AssumeRole", true, ErrorCode::AccessDenied,
       "Cannot call AssumeRole with session credentials"},
      {"federation token, AssumeRole, accept mode", federated, "sts", "AssumeRole", false, ErrorCode::AccessDenied,
       "Cannot call AssumeRole with session credentials"},
      {"federation token, GetCallerIdentity", federated, "sts", "GetCallerIdentity", true, std::nullopt, ""},
      {"federation token, AssumeRoleWithWebIdentity (its token names the caller)", federated, "sts",
       "AssumeRoleWithWebIdentity", true, std::nullopt, ""},
      {"federation token, EC2", federated, "ec2", "RunInstances", true, std::nullopt, ""},
      // Not limited here.
      {"AssumeRoot session, IAM", assume_root, "iam", "ListUsers", true, std::nullopt, ""},
      {"role session, IAM", role, "iam", "ListUsers", true, std::nullopt, ""},
      {"role session, DecodeAuthorizationMessage", role, "sts", "DecodeAuthorizationMessage", true, std::nullopt, ""},
      {"long-term key, IAM", long_term, "iam", "ListUsers", true, std::nullopt, ""},
      {"root key, GetFederationToken", root, "sts", "GetFederationToken", true, std::nullopt, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto refused = temporaryCredentialRefusal(store_, c.caller, c.service, c.action, c.verified);
    if (!c.code) {
      EXPECT_FALSE(refused) << refused->message;
      continue;
    }
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->code, *c.code);
    EXPECT_EQ(refused->httpStatus(), 403);
    EXPECT_EQ(refused->message, c.message);
  }
}

// The endpoint asks before it reads the request, in every mode that checks
// credentials; accept mode keeps only the STS refusals.
class TemporaryCredentialEndpointTest : public TemporaryCredentialTest {
 public:
  TemporaryCredentialEndpointTest() {
    registerIamAccess(table_, store_);
    registerStsOperations(table_, store_, store_, StsOptions{std::string(kAccount)});
    registerStsAccess(table_);
    iam("PutUserPolicy", {{"UserName", "alice"}, {"PolicyName", "all"}, {"PolicyDocument", allow("*")}});
  }

  http::Response send(AuthMode mode, const std::string& key, std::string_view service, std::string body) {
    ManualClock clock(now_);
    QueryEndpointConfig config;
    config.default_account_id = std::string(kAccount);
    config.auth_mode = mode;
    config.store = &store_;
    QueryEndpoint endpoint(table_, store_, clock, config);
    http::Request req;
    req.method = "POST";
    req.target = req.path = "/";
    req.body = std::move(body);
    req.headers = {{"host", "localhost:4566"}, {"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
    auth::SigningParams params;
    params.access_key_id = key;
    params.secret_access_key = "secret";
    params.session_token = "token-" + key;
    params.region = "us-east-1";
    params.service = std::string(service);
    params.time = now_;
    auth::signRequest(req, params);
    return endpoint.handle(req);
  }
};

TEST_F(TemporaryCredentialEndpointTest, SessionTokenWithoutMfaIsAnInvalidTokenForIamInEveryCheckingMode) {
  addSession(store::Session::IssuedBy::GetSessionToken, false, "ASIAENDPOINTPLAIN");
  for (AuthMode mode : {AuthMode::Verify, AuthMode::Enforce, AuthMode::Soft}) {
    SCOPED_TRACE(authModeName(mode));
    auto r = send(mode, "ASIAENDPOINTPLAIN", "iam", kListUsers);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_NE(r.body.find("<Code>InvalidClientTokenId</Code>"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("<Message>The security token included in the request is invalid.</Message>"),
              std::string::npos)
        << r.body;
    // Even a request IAM would refuse as invalid: the token is judged first.
    r = send(mode, "ASIAENDPOINTPLAIN", "iam", "Action=GetUser&Version=2010-05-08&UserName=" + std::string(200, 'a'));
    EXPECT_NE(r.body.find("<Code>InvalidClientTokenId</Code>"), std::string::npos) << r.body;
  }
  // Accept mode judges no token: the session acts as alice.
  EXPECT_EQ(send(AuthMode::Accept, "ASIAENDPOINTPLAIN", "iam", kListUsers).status, 200);
}

TEST_F(TemporaryCredentialEndpointTest, SessionTokenWithMfaMayCallIamAndAssumeRoleButNotOtherSts) {
  addSession(store::Session::IssuedBy::GetSessionToken, true, "ASIAENDPOINTMFA");
  auto r = send(AuthMode::Enforce, "ASIAENDPOINTMFA", "iam", kListUsers);
  EXPECT_EQ(r.status, 200) << r.body;
  r = send(AuthMode::Enforce, "ASIAENDPOINTMFA", "sts", "Action=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(r.status, 200) << r.body;
  r = send(AuthMode::Enforce, "ASIAENDPOINTMFA", "sts",
           "Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::123456789012:role/deployer&RoleSessionName=sess");
  EXPECT_EQ(r.status, 200) << r.body;
  r = send(AuthMode::Verify, "ASIAENDPOINTMFA", "sts",
           "Action=DecodeAuthorizationMessage&Version=2011-06-15&EncodedMessage=abc");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("<Code>AccessDenied</Code>"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<Message>Cannot call DecodeAuthorizationMessage with session credentials</Message>"),
            std::string::npos)
      << r.body;
}

TEST_F(TemporaryCredentialEndpointTest, FederationTokenMayCallOnlyGetCallerIdentityOfIamAndSts) {
  addSession(store::Session::IssuedBy::GetFederationToken, false, "ASIAENDPOINTFED");
  auto r = send(AuthMode::Verify, "ASIAENDPOINTFED", "iam", kListUsers);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("<Code>InvalidClientTokenId</Code>"), std::string::npos) << r.body;
  r = send(AuthMode::Verify, "ASIAENDPOINTFED", "sts", "Action=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<Arn>arn:aws:sts::123456789012:federated-user/fed</Arn>"), std::string::npos) << r.body;
  for (AuthMode mode : {AuthMode::Accept, AuthMode::Verify}) {
    SCOPED_TRACE(authModeName(mode));
    r = send(mode, "ASIAENDPOINTFED", "sts",
             "Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::123456789012:role/deployer&RoleSessionName=sess");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_NE(r.body.find("<Message>Cannot call AssumeRole with session credentials</Message>"), std::string::npos)
        << r.body;
  }
}

}  // namespace
}  // namespace iamlocal::services
