// The application's routing: admin endpoints answer JSON, everything else is
// the AWS query API, and the whole thing serves over a real socket.
#include "iamlocal/app/application.h"

#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "iamlocal/auth/sigv4.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/core/strings.h"
#include "iamlocal/http/server.h"

namespace iamlocal::app {
namespace {

using nlohmann::json;

http::Request request(std::string method, std::string path, std::string body = {}) {
  http::Request r;
  r.method = std::move(method);
  r.target = r.path = std::move(path);
  r.body = std::move(body);
  r.request_id = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
  if (r.method == "POST" && !r.body.empty())
    r.headers.emplace_back("content-type", "application/x-www-form-urlencoded; charset=utf-8");
  return r;
}

Config testConfig() {
  Config c;
  c.port = 0;
  c.threads = 1;
  c.log_level = "off";
  return c;
}

TEST(Application, HealthReportsRunningVersionAndServices) {
  Application app(testConfig());
  auto r = app.handle(request("GET", "/_iamlocal/health"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  auto body = json::parse(r.body);
  EXPECT_EQ(body["status"], "running");
  EXPECT_EQ(body["version"], std::string(kVersion));
  EXPECT_EQ(body["services"]["iam"], "available");
  EXPECT_TRUE(body["services"].contains("sts"));
}

TEST(Application, ResetEmptiesTheStore) {
  Application app(testConfig());
  auto created = app.handle(request("POST", "/", "Action=CreateUser&Version=2010-05-08&UserName=alice"));
  ASSERT_EQ(created.status, 200) << created.body;
  auto listed = app.handle(request("POST", "/", "Action=ListUsers&Version=2010-05-08"));
  EXPECT_NE(listed.body.find("<UserName>alice</UserName>"), std::string::npos) << listed.body;

  auto reset = app.handle(request("POST", "/_iamlocal/reset"));
  EXPECT_EQ(reset.status, 200);
  EXPECT_EQ(json::parse(reset.body)["status"], "reset");

  listed = app.handle(request("POST", "/", "Action=ListUsers&Version=2010-05-08"));
  EXPECT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.find("alice"), std::string::npos) << listed.body;
}

TEST(Application, UnknownAdminPathIs404Json) {
  Application app(testConfig());
  auto r = app.handle(request("GET", "/_iamlocal/nothing-here"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(json::parse(r.body)["error"], "NotFound");
}

TEST(Application, AdminEndpointsRejectTheWrongMethodWith405) {
  Application app(testConfig());
  auto reset = app.handle(request("GET", "/_iamlocal/reset"));
  EXPECT_EQ(reset.status, 405);
  EXPECT_EQ(json::parse(reset.body)["error"], "MethodNotAllowed");
  EXPECT_EQ(app.handle(request("DELETE", "/_iamlocal/health")).status, 405);
}

TEST(Application, EverythingElseIsTheQueryApi) {
  Application app(testConfig());
  auto r = app.handle(request("POST", "/", "Version=2010-05-08"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("<Code>MissingAction</Code>"), std::string::npos) << r.body;
  // A path that merely starts like the admin prefix is not an admin path.
  auto lookalike = app.handle(request("GET", "/_iamlocalx"));
  EXPECT_NE(lookalike.body.find("<Code>MissingAction</Code>"), std::string::npos) << lookalike.body;
}

TEST(Application, TheConfiguredRootAccessKeyActsAsTheConfiguredAccountRoot) {
  Config c = testConfig();
  c.account = "123456789012";
  c.root_access_key = "ROOTKEY";
  Application app(c);
  auto req = request("POST", "/", "Action=CreateUser&Version=2010-05-08&UserName=bob");
  req.headers.emplace_back("authorization",
                           "AWS4-HMAC-SHA256 Credential=ROOTKEY/20240101/us-east-1/iam/aws4_request, "
                           "SignedHeaders=host, Signature=00");
  auto r = app.handle(req);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("arn:aws:iam::123456789012:user/bob"), std::string::npos) << r.body;
}

TEST(Application, ServesHealthOverASocketAndStopsCleanly) {
  Application app(testConfig());
  ASSERT_TRUE(app.listen());
  ASSERT_NE(app.port(), 0);
  std::thread runner([&] { app.run(); });
  auto r = http::fetch("127.0.0.1", app.port(), "/_iamlocal/health", std::chrono::seconds(5));
  app.stop();
  runner.join();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["status"], "running");
}

TEST(Application, FetchReportsARefusedConnection) {
  // Find a port nobody listens on: bind one, then let it go.
  std::uint16_t port;
  {
    Application app(testConfig());
    ASSERT_TRUE(app.listen());
    port = app.port();
  }
  auto r = http::fetch("127.0.0.1", port, "/_iamlocal/health", std::chrono::seconds(2));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(std::to_string(port)), std::string::npos) << r.error().message;
}

// ---- STS, authentication modes and the clock ----

// Signs `req` as an SDK would, at the server's real time shifted by `offset`.
void sign(http::Request& req, std::string key, std::string secret, std::string service, std::string token = {},
          std::chrono::seconds offset = std::chrono::seconds(0)) {
  req.headers.emplace_back("host", "localhost:4566");
  auth::SigningParams p;
  p.access_key_id = std::move(key);
  p.secret_access_key = std::move(secret);
  p.session_token = std::move(token);
  p.region = "us-east-1";
  p.service = std::move(service);
  p.time = std::chrono::system_clock::now() + offset;
  auth::signRequest(req, p);
}

std::string between(const std::string& body, const std::string& tag) {
  auto start = body.find("<" + tag + ">");
  auto end = body.find("</" + tag + ">");
  if (start == std::string::npos || end == std::string::npos) return {};
  start += tag.size() + 2;
  return body.substr(start, end - start);
}

TEST(Application, HealthShowsStsAvailable) {
  Application app(testConfig());
  auto body = json::parse(app.handle(request("GET", "/_iamlocal/health")).body);
  EXPECT_EQ(body["services"]["sts"], "available");
}

TEST(Application, ClockControlIsNotFoundUnlessEnabled) {
  Application app(testConfig());
  auto r = app.handle(request("POST", "/_iamlocal/clock", R"({"offset_seconds": 60})"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json::parse(r.body)["error"], "NotFound");
}

TEST(Application, ClockControlShiftsTheServersClock) {
  Config c = testConfig();
  c.enable_clock_control = true;
  Application app(c);
  auto r = app.handle(request("POST", "/_iamlocal/clock", R"({"offset_seconds": 7200})"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(body["offset_seconds"], 7200);
  TimePoint server_now;
  ASSERT_TRUE(parseIso8601(body["now"].get<std::string>(), server_now));
  auto ahead = server_now - std::chrono::system_clock::now();
  EXPECT_GT(ahead, std::chrono::seconds(7100));
  EXPECT_LT(ahead, std::chrono::seconds(7300));
  EXPECT_EQ(json::parse(app.handle(request("GET", "/_iamlocal/clock")).body)["offset_seconds"], 7200);
  EXPECT_EQ(app.handle(request("POST", "/_iamlocal/clock", R"({"offset_seconds": "soon"})")).status, 400);
  EXPECT_EQ(app.handle(request("POST", "/_iamlocal/clock", "not json")).status, 400);
  EXPECT_EQ(app.handle(request("DELETE", "/_iamlocal/clock")).status, 405);
}

TEST(Application, VerifyModeKnowsEveryConfiguredRootAndNothingElse) {
  Config c = testConfig();
  c.auth = services::AuthMode::Verify;
  c.accounts.push_back({"111111111111", "AKIAOTHERROOT", "other-secret"});
  Application app(c);

  auto req = request("POST", "/", "Action=GetCallerIdentity&Version=2011-06-15");
  sign(req, "AKIAOTHERROOT", "other-secret", "sts");
  auto r = app.handle(req);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(between(r.body, "Arn"), "arn:aws:iam::111111111111:root");

  req = request("POST", "/", "Action=GetCallerIdentity&Version=2011-06-15");
  sign(req, "test", "test", "sts");
  EXPECT_EQ(between(app.handle(req).body, "Arn"), "arn:aws:iam::000000000000:root");

  // A 12-digit key names an account only in accept mode.
  req = request("POST", "/", "Action=GetCallerIdentity&Version=2011-06-15");
  sign(req, "222222222222", "test", "sts");
  r = app.handle(req);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(between(r.body, "Code"), "InvalidClientTokenId");
}

TEST(Application, SigningWithAnIamUsersKeyRecordsItsLastUse) {
  Config c = testConfig();
  c.auth = services::AuthMode::Verify;
  Application app(c);
  auto call = [&](std::string body, std::string key = "test", std::string secret = "test",
                  std::string service = "iam") {
    auto req = request("POST", "/", std::move(body));
    sign(req, std::move(key), std::move(secret), std::move(service));
    return app.handle(req);
  };
  ASSERT_EQ(call("Action=CreateUser&Version=2010-05-08&UserName=alice").status, 200);
  auto created = call("Action=CreateAccessKey&Version=2010-05-08&UserName=alice");
  const std::string key = between(created.body, "AccessKeyId");
  const std::string secret = between(created.body, "SecretAccessKey");
  ASSERT_FALSE(key.empty()) << created.body;

  auto unused = call("Action=GetAccessKeyLastUsed&Version=2010-05-08&AccessKeyId=" + key);
  EXPECT_EQ(between(unused.body, "ServiceName"), "N/A") << unused.body;

  ASSERT_EQ(call("Action=GetCallerIdentity&Version=2011-06-15", key, secret, "sts").status, 200);
  auto used = call("Action=GetAccessKeyLastUsed&Version=2010-05-08&AccessKeyId=" + key);
  EXPECT_EQ(between(used.body, "ServiceName"), "sts") << used.body;
  EXPECT_EQ(between(used.body, "Region"), "us-east-1") << used.body;
  EXPECT_FALSE(between(used.body, "LastUsedDate").empty()) << used.body;
}

TEST(Application, AssumedRoleCredentialsWorkUntilTheyExpire) {
  Config c = testConfig();
  c.auth = services::AuthMode::Verify;
  c.enable_clock_control = true;
  Application app(c);
  const std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"sts:AssumeRole"}]})";
  auto req = request("POST", "/", "Action=CreateRole&Version=2010-05-08&RoleName=deployer&AssumeRolePolicyDocument=" +
                                      uriEncode(trust));
  sign(req, "test", "test", "iam");
  ASSERT_EQ(app.handle(req).status, 200);

  req = request("POST", "/",
                "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1&DurationSeconds=900&RoleArn=" +
                    uriEncode("arn:aws:iam::000000000000:role/deployer"));
  sign(req, "test", "test", "sts");
  auto assumed = app.handle(req);
  ASSERT_EQ(assumed.status, 200) << assumed.body;
  const std::string key = between(assumed.body, "AccessKeyId");
  const std::string secret = between(assumed.body, "SecretAccessKey");
  const std::string token = between(assumed.body, "SessionToken");

  req = request("POST", "/", "Action=GetCallerIdentity&Version=2011-06-15");
  sign(req, key, secret, "sts", token);
  auto me = app.handle(req);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(between(me.body, "Arn"), "arn:aws:sts::000000000000:assumed-role/deployer/s1");

  ASSERT_EQ(app.handle(request("POST", "/_iamlocal/clock", R"({"offset_seconds": 1000})")).status, 200);
  req = request("POST", "/", "Action=GetCallerIdentity&Version=2011-06-15");
  sign(req, key, secret, "sts", token, std::chrono::seconds(1000));
  auto expired = app.handle(req);
  EXPECT_EQ(expired.status, 403) << expired.body;
  EXPECT_EQ(between(expired.body, "Code"), "ExpiredToken");
  EXPECT_EQ(between(expired.body, "Message"), "The security token included in the request is expired");
}

}  // namespace
}  // namespace iamlocal::app
