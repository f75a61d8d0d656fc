// The query endpoint with a fake operation table and credential source: how
// it finds the Action, the service and the caller, and how every failure
// becomes the AWS error a client expects.
#include "iamlocal/services/query_endpoint.h"

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace iamlocal::services {
namespace {

using nlohmann::json;

class FakeCredentials final : public auth::CredentialSource {
 public:
  std::optional<auth::Credential> findAccessKey(std::string_view id) const override {
    auto it = keys.find(std::string(id));
    if (it == keys.end()) return std::nullopt;
    return it->second;
  }
  std::map<std::string, auth::Credential> keys;
};

constexpr const char* kIamScope =
    "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEUSER00001/20240101/eu-west-1/iam/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=0000";

class QueryEndpointTest : public ::testing::Test {
 protected:
  QueryEndpointTest() : clock_(std::chrono::sys_days{std::chrono::year{2024} / 5 / 1}) {
    auth::Credential alice;
    alice.access_key_id = "AKIAEXAMPLEUSER00001";
    alice.secret_access_key = "secret";
    alice.principal.type = auth::PrincipalType::User;
    alice.principal.account_id = "123456789012";
    alice.principal.arn = "arn:aws:iam::123456789012:user/alice";
    alice.principal.name = "alice";
    alice.principal.access_key_id = alice.access_key_id;
    credentials_.keys[alice.access_key_id] = alice;

    table_.add("iam", "ListUsers", [this](const Call& call, const json& input) -> Result<json> {
      last_call_ = call;
      last_input_ = input;
      return json{{"Users", json::array()}, {"IsTruncated", false}};
    });
    table_.add("iam", "GetUser", [](const Call&, const json& input) -> Result<json> {
      return fail(ErrorCode::NoSuchEntity,
                  "The user with name " + input.value("UserName", std::string()) + " cannot be found.");
    });
    table_.add("iam", "ListRoles", [](const Call&, const json&) -> Result<json> {
      throw std::runtime_error("handler bug");
    });
    table_.add("iam", "CreateUser", [](const Call&, const json&) -> Result<json> {
      ADD_FAILURE() << "an invalid input must not reach the handler";
      return json::object();
    });
    table_.add("sts", "GetCallerIdentity", [this](const Call& call, const json&) -> Result<json> {
      last_call_ = call;
      return json{{"UserId", call.caller.user_id}, {"Account", call.caller.account_id}, {"Arn", call.caller.arn}};
    });
  }

  http::Response post(std::string body, std::string authorization = {},
                      std::string content_type = "application/x-www-form-urlencoded; charset=utf-8") {
    http::Request req;
    req.method = "POST";
    req.target = req.path = "/";
    req.body = std::move(body);
    req.request_id = "11111111-2222-4333-8444-555555555555";
    req.remote_address = "10.1.2.3";
    if (!content_type.empty()) req.headers.emplace_back("content-type", content_type);
    if (!authorization.empty()) req.headers.emplace_back("authorization", authorization);
    return endpoint_.handle(req);
  }

  http::Response get(std::string query) {
    http::Request req;
    req.method = "GET";
    req.path = "/";
    req.query = query;
    req.target = "/?" + query;
    req.request_id = "11111111-2222-4333-8444-555555555555";
    return endpoint_.handle(req);
  }

  static void expectError(const http::Response& r, int status, std::string_view code, std::string_view message) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type, "text/xml");
    EXPECT_NE(r.body.find("<Code>" + std::string(code) + "</Code>"), std::string::npos) << r.body;
    if (!message.empty()) {
      EXPECT_NE(r.body.find("<Message>" + std::string(message) + "</Message>"), std::string::npos) << r.body;
    }
    EXPECT_NE(r.body.find("11111111-2222-4333-8444-555555555555"), std::string::npos) << r.body;
  }

  OperationTable table_;
  FakeCredentials credentials_;
  ManualClock clock_;
  QueryEndpoint endpoint_{table_, credentials_, clock_, QueryEndpointConfig{"000000000000", "us-east-1"}};
  std::optional<Call> last_call_;
  json last_input_;
};

TEST_F(QueryEndpointTest, RunsTheHandlerAndRendersItsOutput) {
  auto r = post("Action=ListUsers&Version=2010-05-08");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/xml");
  EXPECT_NE(r.body.find("<ListUsersResponse"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<RequestId>11111111-2222-4333-8444-555555555555</RequestId>"), std::string::npos) << r.body;
  ASSERT_TRUE(last_call_);
  EXPECT_EQ(last_call_->service, "iam");
  EXPECT_EQ(last_call_->action, "ListUsers");
  EXPECT_EQ(last_call_->request_id, "11111111-2222-4333-8444-555555555555");
  EXPECT_EQ(last_call_->source_ip, "10.1.2.3");
  EXPECT_EQ(last_call_->now, clock_.now());
}

TEST_F(QueryEndpointTest, UnsignedRequestActsAsRootOfTheDefaultAccountInTheDefaultRegion) {
  post("Action=ListUsers&Version=2010-05-08");
  ASSERT_TRUE(last_call_);
  EXPECT_EQ(last_call_->caller.type, auth::PrincipalType::Root);
  EXPECT_EQ(last_call_->caller.arn, "arn:aws:iam::000000000000:root");
  EXPECT_EQ(last_call_->region, "us-east-1");
}

TEST_F(QueryEndpointTest, KnownAccessKeyActsAsItsOwnerInTheScopeRegion) {
  post("Action=ListUsers&Version=2010-05-08", kIamScope);
  ASSERT_TRUE(last_call_);
  EXPECT_EQ(last_call_->caller.type, auth::PrincipalType::User);
  EXPECT_EQ(last_call_->caller.arn, "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(last_call_->region, "eu-west-1");
}

TEST_F(QueryEndpointTest, TwelveDigitAccessKeyActsAsThatAccountsRoot) {
  post("Action=ListUsers&Version=2010-05-08",
       "AWS4-HMAC-SHA256 Credential=111122223333/20240101/us-east-1/iam/aws4_request, SignedHeaders=host, "
       "Signature=00");
  ASSERT_TRUE(last_call_);
  EXPECT_EQ(last_call_->caller.arn, "arn:aws:iam::111122223333:root");
}

TEST_F(QueryEndpointTest, ReadsParametersFromTheQueryStringOfAGet) {
  auto r = get("Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fteam%2F");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(last_input_.value("PathPrefix", ""), "/team/");
}

TEST_F(QueryEndpointTest, PresignedCredentialNamesTheCallerAndIsNotPassedAsInput) {
  auto r = get(
      "Action=ListUsers&Version=2010-05-08&X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKIAEXAMPLEUSER00001%2F20240101%2Fap-south-1%2Fiam%2Faws4_request"
      "&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00");
  EXPECT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(last_call_);
  EXPECT_EQ(last_call_->caller.name, "alice");
  EXPECT_EQ(last_call_->region, "ap-south-1");
  EXPECT_FALSE(last_input_.contains("X-Amz-Credential")) << last_input_.dump();
}

TEST_F(QueryEndpointTest, MissingActionIsMissingAction400) {
  expectError(post("Version=2010-05-08"), 400, "MissingAction", "Missing Action");
}

TEST_F(QueryEndpointTest, EmptyActionIsMissingAction400) {
  expectError(post("Action=&Version=2010-05-08"), 400, "MissingAction", "Missing Action");
}

TEST_F(QueryEndpointTest, UnknownActionIsInvalidActionNamingActionAndVersion) {
  expectError(post("Action=FlyToTheMoon&Version=2010-05-08"), 400, "InvalidAction",
              "Could not find operation FlyToTheMoon for version 2010-05-08");
}

TEST_F(QueryEndpointTest, UnknownActionWithoutVersionNamesTheModelsVersion) {
  expectError(post("Action=FlyToTheMoon"), 400, "InvalidAction",
              "Could not find operation FlyToTheMoon for version 2010-05-08");
}

TEST_F(QueryEndpointTest, MalformedEscapeInTheBodyIsMalformedQueryString) {
  expectError(post("Action=ListUsers&PathPrefix=%zz"), 404, "MalformedQueryString",
              "The query string contains a syntax error.");
  EXPECT_FALSE(last_call_);
}

TEST_F(QueryEndpointTest, MalformedEscapeInTheQueryStringIsMalformedQueryString) {
  expectError(get("Action=ListUsers&Version=2010-05-08&PathPrefix=%4"), 404, "MalformedQueryString", "");
}

TEST_F(QueryEndpointTest, ABodyThatIsNotAFormIsNotReadForParameters) {
  expectError(post("Action=ListUsers&Version=2010-05-08", {}, "application/json"), 400, "MissingAction", "");
}

TEST_F(QueryEndpointTest, ActionKnownOnlyToStsGoesToStsWhenUnsigned) {
  auto r = post("Action=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<GetCallerIdentityResponse"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<Arn>arn:aws:iam::000000000000:root</Arn>"), std::string::npos) << r.body;
  ASSERT_TRUE(last_call_);
  EXPECT_EQ(last_call_->service, "sts");
}

TEST_F(QueryEndpointTest, CredentialScopeChoosesTheServiceEvenForAnotherServicesAction) {
  // Signed for IAM: IAM has no GetCallerIdentity, so IAM's answer is InvalidAction.
  expectError(post("Action=GetCallerIdentity&Version=2011-06-15", kIamScope), 400, "InvalidAction",
              "Could not find operation GetCallerIdentity for version 2011-06-15");
}

TEST_F(QueryEndpointTest, HandlerErrorIsRenderedWithItsCodeAndStatus) {
  expectError(post("Action=GetUser&Version=2010-05-08&UserName=bob"), 404, "NoSuchEntity",
              "The user with name bob cannot be found.");
}

TEST_F(QueryEndpointTest, HandlerExceptionBecomesInternalFailure500) {
  expectError(post("Action=ListRoles&Version=2010-05-08"), 500, "InternalFailure", "");
}

TEST_F(QueryEndpointTest, ModelledActionWithoutAHandlerIsAWellFormedInvalidAction) {
  auto r = post("Action=DeleteAccountAlias&Version=2010-05-08&AccountAlias=x");
  expectError(r, 400, "InvalidAction", "");
  EXPECT_NE(r.body.find("DeleteAccountAlias"), std::string::npos) << r.body;
}

TEST_F(QueryEndpointTest, InvalidInputIsAValidationErrorAndNeverReachesTheHandler) {
  // CreateUser requires UserName.
  expectError(post("Action=CreateUser&Version=2010-05-08"), 400, "ValidationError", "");
}

TEST_F(QueryEndpointTest, AssignsARequestIdWhenTheServerDidNot) {
  http::Request req;
  req.method = "POST";
  req.path = req.target = "/";
  req.body = "Version=2010-05-08";
  auto r = endpoint_.handle(req);
  EXPECT_EQ(r.status, 400);
  auto start = r.body.find("<RequestId>");
  ASSERT_NE(start, std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("</RequestId>") - (start + 11), 36u) << r.body;
}

// ---- Authentication modes ----

constexpr const char* kUserKey = "AKIAEXAMPLEUSER00001";
constexpr const char* kUserSecret = "alice-secret";

class QueryEndpointAuthTest : public ::testing::TestWithParam<AuthMode> {
 protected:
  QueryEndpointAuthTest() : clock_(std::chrono::sys_days{std::chrono::year{2024} / 5 / 1}) {
    auth::Credential alice;
    alice.access_key_id = kUserKey;
    alice.secret_access_key = kUserSecret;
    alice.principal.type = auth::PrincipalType::User;
    alice.principal.account_id = "123456789012";
    alice.principal.arn = "arn:aws:iam::123456789012:user/alice";
    alice.principal.name = "alice";
    alice.principal.access_key_id = kUserKey;
    credentials_.keys[kUserKey] = alice;

    auth::Credential inactive = alice;
    inactive.access_key_id = inactive.principal.access_key_id = "AKIAEXAMPLEINACTIVE1";
    inactive.active = false;
    credentials_.keys[inactive.access_key_id] = inactive;

    auth::Credential session;
    session.access_key_id = "ASIAEXAMPLESESSION01";
    session.secret_access_key = "session-secret";
    session.session_token = "the-token";
    session.expiration = clock_.now() + std::chrono::hours(1);
    session.principal.type = auth::PrincipalType::AssumedRole;
    session.principal.account_id = "123456789012";
    session.principal.arn = "arn:aws:sts::123456789012:assumed-role/deployer/s1";
    session.principal.access_key_id = session.access_key_id;
    credentials_.keys[session.access_key_id] = session;

    auto identity = [this](const Call& call, const json&) -> Result<json> {
      last_call_ = call;
      return json{{"UserId", call.caller.user_id}, {"Account", call.caller.account_id}, {"Arn", call.caller.arn}};
    };
    table_.add("sts", "GetCallerIdentity", identity);
    // As STS's access table says: no permission needed (enforce mode refuses
    // operations without an access rule).
    table_.setAccess("sts", "GetCallerIdentity", [](const Call&, const json&, std::vector<AccessCheck>&) {});
    table_.add("iam", "ListUsers", [this](const Call& call, const json&) -> Result<json> {
      last_call_ = call;
      return json{{"Users", json::array()}, {"IsTruncated", false}};
    });
    for (const char* federation : {"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"}) {
      table_.add("sts", federation, [this](const Call& call, const json&) -> Result<json> {
        last_call_ = call;
        return json::object();
      });
    }
  }

  QueryEndpointConfig config() {
    QueryEndpointConfig c{"000000000000", "us-east-1", GetParam(), {}};
    c.on_key_used = [this](const auth::Principal& p, std::string_view service, std::string_view region, TimePoint) {
      key_uses_.push_back(p.access_key_id + " " + std::string(service) + " " + std::string(region));
    };
    return c;
  }

  static http::Request form(std::string body) {
    http::Request req;
    req.method = "POST";
    req.target = req.path = "/";
    req.body = std::move(body);
    req.request_id = "11111111-2222-4333-8444-555555555555";
    req.headers = {{"host", "localhost:4566"},
                   {"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
    return req;
  }

  http::Response signedCall(std::string body, std::string key, std::string secret, std::string token = {},
                            std::string service = "sts") {
    http::Request req = form(std::move(body));
    auth::SigningParams params;
    params.access_key_id = std::move(key);
    params.secret_access_key = std::move(secret);
    params.session_token = std::move(token);
    params.region = "eu-west-1";
    params.service = std::move(service);
    params.time = clock_.now();
    auth::signRequest(req, params);
    return endpoint_.handle(req);
  }

  static void expectError(const http::Response& r, int status, std::string_view code, std::string_view message) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_NE(r.body.find("<Code>" + std::string(code) + "</Code>"), std::string::npos) << r.body;
    if (!message.empty()) {
      EXPECT_NE(r.body.find("<Message>" + std::string(message) + "</Message>"), std::string::npos) << r.body;
    }
  }

  bool checksSignatures() const { return GetParam() != AuthMode::Accept; }

  OperationTable table_;
  FakeCredentials credentials_;
  ManualClock clock_;
  QueryEndpoint endpoint_{table_, credentials_, clock_, config()};
  std::optional<Call> last_call_;
  std::vector<std::string> key_uses_;
};

constexpr const char* kIdentity = "Action=GetCallerIdentity&Version=2011-06-15";

TEST_P(QueryEndpointAuthTest, ValidSignatureActsAsTheKeysOwner) {
  auto r = signedCall(kIdentity, kUserKey, kUserSecret);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<Arn>arn:aws:iam::123456789012:user/alice</Arn>"), std::string::npos) << r.body;
  ASSERT_TRUE(last_call_);
  EXPECT_EQ(last_call_->region, "eu-west-1");
}

TEST_P(QueryEndpointAuthTest, BadSignatureIsSignatureDoesNotMatchUnlessAccepting) {
  auto r = signedCall(kIdentity, kUserKey, "not-alices-secret");
  if (checksSignatures()) {
    expectError(r, 403, "SignatureDoesNotMatch", "");
    EXPECT_FALSE(last_call_);
  } else {
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("user/alice"), std::string::npos) << r.body;
  }
}

TEST_P(QueryEndpointAuthTest, SignatureScopedToAnotherServiceIsRefusedUnlessAccepting) {
  // Signed for S3, sent to STS (recognised by its Action): AWS's STS endpoint
  // checks the scope's service before the key.
  // Whether the key is known or not: the scope is checked first.
  for (const char* key : {"AKIANOBODYKNOWSTHIS1", kUserKey}) {
    SCOPED_TRACE(key);
    auto r = signedCall(kIdentity, key, kUserSecret, {}, "s3");
    if (checksSignatures()) {
      expectError(r, 403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: &apos;sts&apos;. ");
      EXPECT_FALSE(last_call_);
    } else {
      EXPECT_EQ(r.status, 200) << r.body;
    }
  }
}

TEST_P(QueryEndpointAuthTest, UnknownKeyIsInvalidClientTokenIdUnlessAccepting) {
  auto r = signedCall(kIdentity, "AKIANOBODYKNOWSTHIS1", "x");
  if (checksSignatures()) {
    expectError(r, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
  } else {
    EXPECT_NE(r.body.find("<Arn>arn:aws:iam::000000000000:root</Arn>"), std::string::npos) << r.body;
  }
}

TEST_P(QueryEndpointAuthTest, InactiveKeyIsInvalidClientTokenIdUnlessAccepting) {
  auto r = signedCall(kIdentity, "AKIAEXAMPLEINACTIVE1", kUserSecret);
  if (checksSignatures()) {
    expectError(r, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
  } else {
    EXPECT_EQ(r.status, 200) << r.body;
  }
}

TEST_P(QueryEndpointAuthTest, UnsignedRequestIsMissingAuthenticationTokenInTheServicesEnvelope) {
  auto r = endpoint_.handle(form(kIdentity));
  if (!checksSignatures()) {
    EXPECT_EQ(r.status, 200) << r.body;
    return;
  }
  expectError(r, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
  // STS answers in its own namespace.
  EXPECT_NE(r.body.find("https://sts.amazonaws.com/doc/2011-06-15/"), std::string::npos) << r.body;
}

TEST_P(QueryEndpointAuthTest, UnsignedWebIdentityFederationIsLetThroughInEveryMode) {
  auto r = endpoint_.handle(form(
      "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::123456789012:role/web"
      "&RoleSessionName=s1&WebIdentityToken=token-from-the-idp"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(last_call_);
}

TEST_P(QueryEndpointAuthTest, UnsignedSamlFederationIsLetThroughInEveryMode) {
  auto r = endpoint_.handle(
      form("Action=AssumeRoleWithSAML&Version=2011-06-15&RoleArn=arn:aws:iam::123456789012:role/saml"
           "&PrincipalArn=arn:aws:iam::123456789012:saml-provider/idp&SAMLAssertion=assertion-from-the-idp"));
  EXPECT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(last_call_);
  EXPECT_EQ(last_call_->caller.arn, "arn:aws:iam::000000000000:root");
}

// GetWebIdentityToken and GetDelegatedAccessToken are in STS's model but
// have no handler here (nor in iamlocal): a signed call is InvalidAction in
// every mode, decided before authorization; unsigned, only the two
// AssumeRoleWith* operations are exempt from authentication.
TEST_P(QueryEndpointAuthTest, FederationOperationsWithoutAHandlerAreInvalidActionInEveryMode) {
  for (std::string_view action : {"GetWebIdentityToken", "GetDelegatedAccessToken"}) {
    SCOPED_TRACE(action);
    const std::string body = "Action=" + std::string(action) + "&Version=2011-06-15";
    expectError(signedCall(body, kUserKey, kUserSecret), 400, "InvalidAction",
                "The operation " + std::string(action) + " of sts is not supported by iamlocal yet");
    auto unsigned_response = endpoint_.handle(form(body));
    if (checksSignatures()) {
      expectError(unsigned_response, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    } else {
      expectError(unsigned_response, 400, "InvalidAction", "");
    }
  }
  EXPECT_FALSE(last_call_);
}

TEST_P(QueryEndpointAuthTest, SessionCredentialsNeedTheirOwnToken) {
  auto r = signedCall(kIdentity, "ASIAEXAMPLESESSION01", "session-secret", "the-token");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("assumed-role/deployer/s1"), std::string::npos) << r.body;

  if (!checksSignatures()) return;
  r = signedCall(kIdentity, "ASIAEXAMPLESESSION01", "session-secret", "another-token");
  expectError(r, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
  r = signedCall(kIdentity, "ASIAEXAMPLESESSION01", "session-secret");
  expectError(r, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
}

TEST_P(QueryEndpointAuthTest, ExpiredSessionIsExpiredTokenUnlessAccepting) {
  clock_.advance(std::chrono::hours(1) + std::chrono::seconds(1));
  auto r = signedCall(kIdentity, "ASIAEXAMPLESESSION01", "session-secret", "the-token");
  if (checksSignatures()) {
    expectError(r, 403, "ExpiredToken", "The security token included in the request is expired");
  } else {
    EXPECT_EQ(r.status, 200) << r.body;
  }
}

TEST_P(QueryEndpointAuthTest, IamUserKeyUseIsReportedWithServiceAndRegion) {
  signedCall("Action=ListUsers&Version=2010-05-08", kUserKey, kUserSecret, {}, "iam");
  signedCall(kIdentity, "ASIAEXAMPLESESSION01", "session-secret", "the-token");  // not an IAM user's key
  ASSERT_EQ(key_uses_.size(), 1u);
  EXPECT_EQ(key_uses_[0], "AKIAEXAMPLEUSER00001 iam eu-west-1");
}

TEST_P(QueryEndpointAuthTest, RefusedRequestsAreNotReportedAsKeyUse) {
  signedCall(kIdentity, kUserKey, "wrong");
  if (checksSignatures()) {
    EXPECT_TRUE(key_uses_.empty());
  } else {
    EXPECT_EQ(key_uses_.size(), 1u);  // accept mode names alice from her key alone
  }
}

INSTANTIATE_TEST_SUITE_P(EveryMode, QueryEndpointAuthTest,
                         ::testing::Values(AuthMode::Accept, AuthMode::Verify, AuthMode::Enforce, AuthMode::Soft),
                         [](const auto& info) { return std::string(authModeName(info.param)); });

}  // namespace
}  // namespace iamlocal::services
