// EC2's answers to requests it cannot authenticate: the mapping from the
// SigV4 verifier's IAM/STS codes to AuthFailure, RequestExpired and
// MissingParameter, and the query endpoint giving them (in EC2's envelope)
// only to requests for EC2 while IAM and STS keep their own codes.
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "iamlocal/auth/sigv4.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/services/ec2.h"
#include "iamlocal/services/query_endpoint.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;

constexpr std::string_view kNotValidated = "AWS was not able to validate the provided access credentials";
constexpr std::string_view kMalformed = "Authorization header or parameters are not formatted correctly.";
constexpr std::string_view kExpired = "Request has expired.";
constexpr std::string_view kNoCredentials = "The request must contain the parameter AWSAccessKeyId";

// ---- The mapping ----

struct MappingCase {
  ErrorCode from;
  std::string message;
  ErrorCode to;
  std::string_view to_name;
  int to_status;
  std::string_view to_message;
};

TEST(Ec2AuthenticationError, NamesEachVerifierFailureAsEc2Does) {
  const MappingCase cases[] = {
      {ErrorCode::InvalidClientTokenId, "The security token included in the request is invalid.",
       ErrorCode::AuthFailure, "AuthFailure", 401, kNotValidated},
      {ErrorCode::SignatureDoesNotMatch,
       "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
       "Key and signing method. Consult the service documentation for details.",
       ErrorCode::AuthFailure, "AuthFailure", 401, kNotValidated},
      {ErrorCode::SignatureDoesNotMatch, "Credential should be scoped to a valid region, not ''. ",
       ErrorCode::AuthFailure, "AuthFailure", 401, kNotValidated},
      {ErrorCode::SignatureDoesNotMatch,
       "Signature expired: 20240501T000000Z is now earlier than 20240501T004500Z (20240501T010000Z - 15 min.)",
       ErrorCode::RequestExpired, "RequestExpired", 400, kExpired},
      {ErrorCode::SignatureDoesNotMatch,
       "Signature not yet current: 20240501T020000Z is still later than 20240501T011500Z (20240501T010000Z + 15 "
       "min.)",
       ErrorCode::RequestExpired, "RequestExpired", 400, kExpired},
      {ErrorCode::SignatureDoesNotMatch,
       "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
       ErrorCode::AuthFailure, "AuthFailure", 401, kMalformed},
      {ErrorCode::IncompleteSignature, "Authorization header requires 'Signature' parameter. Authorization=AWS4-",
       ErrorCode::AuthFailure, "AuthFailure", 401, kMalformed},
      {ErrorCode::ExpiredToken, "The security token included in the request is expired", ErrorCode::RequestExpired,
       "RequestExpired", 400, kExpired},
      {ErrorCode::MissingAuthenticationToken, "Request is missing Authentication Token", ErrorCode::MissingParameter,
       "MissingParameter", 400, kNoCredentials},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(errorCodeName(c.from)) + ": " + c.message);
    const Error mapped = ec2AuthenticationError(makeError(c.from, c.message));
    EXPECT_EQ(mapped.code, c.to);
    EXPECT_EQ(mapped.codeName(), c.to_name);
    EXPECT_EQ(mapped.httpStatus(), c.to_status);
    EXPECT_EQ(mapped.message, c.to_message);
  }
}

TEST(Ec2AuthenticationError, LeavesErrorsThatAreNotAboutAuthenticationAlone) {
  const Error errors[] = {
      makeError(ErrorCode::AccessDenied, "User: arn:aws:iam::123456789012:user/a is not authorized"),
      makeError(ErrorCode::UnauthorizedOperation, "You are not authorized to perform this operation."),
      makeError(ErrorCode::MalformedQueryString, "The query string contains a syntax error."),
      makeError(ErrorCode::InvalidInstanceID_NotFound, "The instance ID 'i-0123456789abcdef0' does not exist"),
  };
  for (const auto& e : errors) {
    SCOPED_TRACE(std::string(e.codeName()));
    const Error mapped = ec2AuthenticationError(e);
    EXPECT_EQ(mapped.code, e.code);
    EXPECT_EQ(mapped.message, e.message);
  }
}

// The mapping recognises the verifier's time-window texts: these tests hold
// it to the texts the verifier really writes.
TEST(Ec2AuthenticationError, RecognisesTheVerifiersOwnTimeWindowMessages) {
  const TimePoint now = std::chrono::sys_days{std::chrono::year{2024} / 5 / 1} + std::chrono::hours(12);
  for (auto signed_at : {now - std::chrono::minutes(16), now + std::chrono::minutes(16)}) {
    http::Request req;
    req.method = "POST";
    req.target = req.path = "/";
    req.body = "Action=DescribeInstances&Version=2016-11-15";
    req.headers = {{"host", "localhost:4566"}, {"content-type", "application/x-www-form-urlencoded"}};
    auth::SigningParams params;
    params.access_key_id = "AKIAEXAMPLEUSER00001";
    params.secret_access_key = "secret";
    params.region = "us-east-1";
    params.service = "ec2";
    params.time = signed_at;
    auth::signRequest(req, params);

    auto info = auth::parseSigV4(req);
    ASSERT_TRUE(info) << info.error().message;
    auto checked = auth::checkSigV4Scope(*info, now, auth::SigV4Options{});
    ASSERT_FALSE(checked);
    SCOPED_TRACE(checked.error().message);
    EXPECT_EQ(checked.error().code, ErrorCode::SignatureDoesNotMatch);
    EXPECT_EQ(ec2AuthenticationError(checked.error()).code, ErrorCode::RequestExpired);
  }
}

// ---- Through the query endpoint ----

class FakeCredentials final : public auth::CredentialSource {
 public:
  std::optional<auth::Credential> findAccessKey(std::string_view id) const override {
    auto it = keys.find(std::string(id));
    if (it == keys.end()) return std::nullopt;
    return it->second;
  }
  std::map<std::string, auth::Credential> keys;
};

constexpr const char* kUserKey = "AKIAEXAMPLEUSER00001";
constexpr const char* kUserSecret = "alice-secret";
constexpr const char* kSessionKey = "ASIAEXAMPLESESSION01";
constexpr const char* kSessionSecret = "session-secret";
constexpr const char* kSessionToken = "the-token";
constexpr const char* kDescribe = "Action=DescribeInstances&Version=2016-11-15";
constexpr const char* kListUsers = "Action=ListUsers&Version=2010-05-08";
constexpr const char* kIdentity = "Action=GetCallerIdentity&Version=2011-06-15";

class Ec2AuthenticationEndpointTest : public ::testing::Test {
 protected:
  Ec2AuthenticationEndpointTest() : clock_(std::chrono::sys_days{std::chrono::year{2024} / 5 / 1}) {
    auth::Credential alice;
    alice.access_key_id = alice.principal.access_key_id = kUserKey;
    alice.secret_access_key = kUserSecret;
    alice.principal.type = auth::PrincipalType::User;
    alice.principal.account_id = "123456789012";
    alice.principal.arn = "arn:aws:iam::123456789012:user/alice";
    credentials_.keys[kUserKey] = alice;

    auth::Credential inactive = alice;
    inactive.access_key_id = inactive.principal.access_key_id = "AKIAEXAMPLEINACTIVE1";
    inactive.active = false;
    credentials_.keys[inactive.access_key_id] = inactive;

    auth::Credential session;
    session.access_key_id = session.principal.access_key_id = kSessionKey;
    session.secret_access_key = kSessionSecret;
    session.session_token = kSessionToken;
    session.expiration = clock_.now() + std::chrono::hours(1);
    session.principal.type = auth::PrincipalType::AssumedRole;
    session.principal.account_id = "123456789012";
    session.principal.arn = "arn:aws:sts::123456789012:assumed-role/deployer/s1";
    credentials_.keys[kSessionKey] = session;

    auto answer = [this](json output) {
      return [this, output](const Call&, const json&) -> Result<json> {
        ++handled_;
        return output;
      };
    };
    table_.add("ec2", "DescribeInstances", answer(json{{"Reservations", json::array()}}));
    table_.add("iam", "ListUsers", answer(json{{"Users", json::array()}, {"IsTruncated", false}}));
    table_.add("sts", "GetCallerIdentity",
               answer(json{{"UserId", "AIDA"}, {"Account", "123456789012"}, {"Arn", "arn:aws:iam::1:user/a"}}));
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

  http::Response call(std::string body, std::string service, std::string key = kUserKey,
                      std::string secret = kUserSecret, std::string token = {},
                      std::chrono::seconds clock_offset = std::chrono::seconds(0)) {
    http::Request req = form(std::move(body));
    auth::SigningParams params;
    params.access_key_id = std::move(key);
    params.secret_access_key = std::move(secret);
    params.session_token = std::move(token);
    params.region = "us-east-1";
    params.service = std::move(service);
    params.time = clock_.now() + clock_offset;
    auth::signRequest(req, params);
    return endpoint_.handle(req);
  }

  // EC2's envelope: <Response><Errors><Error>...</Error></Errors><RequestID>.
  void expectEc2Error(const http::Response& r, int status, std::string_view code, std::string_view message) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_NE(r.body.find("<Response><Errors><Error><Code>" + std::string(code) + "</Code><Message>" +
                          std::string(message) + "</Message></Error></Errors><RequestID>"),
              std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("11111111-2222-4333-8444-555555555555"), std::string::npos) << r.body;
    EXPECT_EQ(handled_, 0) << "a refused request must not reach the handler";
  }

  static void expectQueryError(const http::Response& r, int status, std::string_view code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_NE(r.body.find("<ErrorResponse"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("<Code>" + std::string(code) + "</Code>"), std::string::npos) << r.body;
  }

  QueryEndpointConfig config(AuthMode mode) { return QueryEndpointConfig{"000000000000", "us-east-1", mode, {}}; }

  OperationTable table_;
  FakeCredentials credentials_;
  ManualClock clock_;
  QueryEndpoint endpoint_{table_, credentials_, clock_, config(AuthMode::Verify)};
  int handled_ = 0;
};

TEST_F(Ec2AuthenticationEndpointTest, ValidSignatureReachesTheHandler) {
  auto r = call(kDescribe, "ec2");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(handled_, 1);
}

TEST_F(Ec2AuthenticationEndpointTest, UnknownKeyIsAuthFailure401) {
  expectEc2Error(call(kDescribe, "ec2", "AKIANOBODYKNOWSTHIS1", "x"), 401, "AuthFailure", kNotValidated);
}

TEST_F(Ec2AuthenticationEndpointTest, WrongSecretIsAuthFailure401WithoutTheCanonicalRequest) {
  auto r = call(kDescribe, "ec2", kUserKey, "not-alices-secret");
  expectEc2Error(r, 401, "AuthFailure", kNotValidated);
  EXPECT_EQ(r.body.find("Canonical String"), std::string::npos) << r.body;
}

TEST_F(Ec2AuthenticationEndpointTest, InactiveKeyIsAuthFailure401) {
  expectEc2Error(call(kDescribe, "ec2", "AKIAEXAMPLEINACTIVE1", kUserSecret), 401, "AuthFailure", kNotValidated);
}

TEST_F(Ec2AuthenticationEndpointTest, WrongOrMissingSessionTokenIsAuthFailure401) {
  expectEc2Error(call(kDescribe, "ec2", kSessionKey, kSessionSecret, "another-token"), 401, "AuthFailure",
                 kNotValidated);
  expectEc2Error(call(kDescribe, "ec2", kSessionKey, kSessionSecret), 401, "AuthFailure", kNotValidated);
}

TEST_F(Ec2AuthenticationEndpointTest, ExpiredSessionIsRequestExpired400) {
  clock_.advance(std::chrono::hours(1) + std::chrono::seconds(1));
  expectEc2Error(call(kDescribe, "ec2", kSessionKey, kSessionSecret, kSessionToken), 400, "RequestExpired", kExpired);
}

TEST_F(Ec2AuthenticationEndpointTest, RequestSignedOutsideTheFifteenMinuteWindowIsRequestExpired400) {
  for (auto offset : {std::chrono::seconds(-16 * 60), std::chrono::seconds(16 * 60)}) {
    SCOPED_TRACE(offset.count());
    expectEc2Error(call(kDescribe, "ec2", kUserKey, kUserSecret, {}, offset), 400, "RequestExpired", kExpired);
  }
}

TEST_F(Ec2AuthenticationEndpointTest, UnsignedRequestIsMissingParameterAwsAccessKeyId) {
  // No scope: the Action alone names EC2.
  expectEc2Error(endpoint_.handle(form(kDescribe)), 400, "MissingParameter", kNoCredentials);
}

TEST_F(Ec2AuthenticationEndpointTest, MalformedAuthorizationIsAuthFailure401NotFormattedCorrectly) {
  http::Request req = form(kDescribe);
  req.headers.emplace_back("x-amz-date", "20240501T000000Z");
  req.headers.emplace_back("authorization",
                           "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEUSER00001/20240501/us-east-1/ec2/aws4_request");
  expectEc2Error(endpoint_.handle(req), 401, "AuthFailure", kMalformed);
}

TEST_F(Ec2AuthenticationEndpointTest, IamAndStsKeepTheirOwnCodesForTheSameFailures) {
  expectQueryError(call(kListUsers, "iam", "AKIANOBODYKNOWSTHIS1", "x"), 403, "InvalidClientTokenId");
  expectQueryError(call(kIdentity, "sts", kUserKey, "not-alices-secret"), 403, "SignatureDoesNotMatch");
  expectQueryError(call(kIdentity, "sts", kUserKey, kUserSecret, {}, std::chrono::seconds(-16 * 60)), 403,
                   "SignatureDoesNotMatch");
  expectQueryError(endpoint_.handle(form(kIdentity)), 403, "MissingAuthenticationToken");
  clock_.advance(std::chrono::hours(1) + std::chrono::seconds(1));
  expectQueryError(call(kIdentity, "sts", kSessionKey, kSessionSecret, kSessionToken), 403, "ExpiredToken");
  EXPECT_EQ(handled_, 0);
}

TEST_F(Ec2AuthenticationEndpointTest, AcceptModeStillTakesAnySignatureForEc2) {
  QueryEndpoint accepting{table_, credentials_, clock_, config(AuthMode::Accept)};
  http::Request req = form(kDescribe);
  auth::SigningParams params;
  params.access_key_id = "AKIANOBODYKNOWSTHIS1";
  params.secret_access_key = "x";
  params.region = "us-east-1";
  params.service = "ec2";
  params.time = clock_.now();
  auth::signRequest(req, params);
  EXPECT_EQ(accepting.handle(req).status, 200);
  EXPECT_EQ(handled_, 1);
}

}  // namespace
}  // namespace iamlocal::services
