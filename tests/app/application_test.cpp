// The application's routing: admin endpoints answer JSON, everything else is
// the AWS query API, and the whole thing serves over a real socket.
#include "iamlocal/app/application.h"

#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace iamlocal::app
