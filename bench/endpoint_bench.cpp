// What one signed request costs inside the server, without the network:
// Application::handle for load_bench.py's three operations in enforce mode,
// with the same set-up (a user allowed sts:GetCallerIdentity, iam:GetRole
// and sts:AssumeRole, and a role trusting that user). Requests are signed
// beforehand; the figure is routing, SigV4 verification, decoding,
// authorization, the handler and XML encoding, hot in cache.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "iamlocal/app/application.h"
#include "iamlocal/auth/sigv4.h"
#include "iamlocal/core/strings.h"

namespace {

using namespace iamlocal;

http::Request formPost(std::string body) {
  http::Request r;
  r.method = "POST";
  r.path.push_back('/');  // not = "/": GCC 12 -Wrestrict false positive
  r.target = r.path;
  r.body = std::move(body);
  r.remote_address = "127.0.0.1";
  r.request_id = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
  r.headers.emplace_back("host", "127.0.0.1:4566");
  r.headers.emplace_back("content-type", "application/x-www-form-urlencoded; charset=utf-8");
  return r;
}

http::Request signedPost(std::string body, const std::string& key, const std::string& secret, const char* service,
                         std::chrono::seconds age = std::chrono::seconds(0)) {
  http::Request r = formPost(std::move(body));
  auth::SigningParams p;
  p.access_key_id = key;
  p.secret_access_key = secret;
  p.region = "us-east-1";
  p.service = service;
  p.time = std::chrono::system_clock::now() - age;
  auth::signRequest(r, p);
  return r;
}

// The text of the first <tag> element of an XML answer.
std::string between(const std::string& body, std::string_view tag) {
  std::string open = "<";
  open.append(tag).append(">");
  auto start = body.find(open);
  if (start == std::string::npos) return {};
  start += open.size();
  auto end = body.find('<', start);
  return end == std::string::npos ? std::string() : body.substr(start, end - start);
}

// Answers the set-up calls must get; anything else is a broken benchmark.
std::string expectOk(const app::Application& app, const http::Request& request) {
  http::Response r = app.handle(request);
  if (r.status != 200) {
    std::fprintf(stderr, "endpoint_bench set-up failed (%d): %s\n", r.status, r.body.c_str());
    std::abort();
  }
  return r.body;
}

struct Fixture {
  app::Application app{[] {
    app::Config c;
    c.port = 0;
    c.threads = 1;
    c.log_level = "off";
    c.auth = services::AuthMode::Enforce;
    return c;
  }()};
  std::string key, secret, role_arn;

  Fixture() {
    auto root = [&](std::string body) { return expectOk(app, signedPost(std::move(body), "test", "test", "iam")); };
    std::string user_arn = between(root("Action=CreateUser&Version=2010-05-08&UserName=bench"), "Arn");
    std::string created = root("Action=CreateAccessKey&Version=2010-05-08&UserName=bench");
    key = between(created, "AccessKeyId");
    secret = between(created, "SecretAccessKey");
    root("Action=PutUserPolicy&Version=2010-05-08&UserName=bench&PolicyName=bench&PolicyDocument=" +
         uriEncode(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                   R"("Action":["sts:GetCallerIdentity","iam:GetRole","sts:AssumeRole"],"Resource":"*"}]})"));
    role_arn = between(root("Action=CreateRole&Version=2010-05-08&RoleName=bench-role&AssumeRolePolicyDocument=" +
                            uriEncode(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                                      R"("Principal":{"AWS":")" +
                                      user_arn + R"("},"Action":"sts:AssumeRole"}]})")),
                       "Arn");
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// Runs `requests` round-robin through the application, each answer checked.
void handleEach(benchmark::State& state, const std::vector<http::Request>& requests) {
  const auto& app = fixture().app;
  std::size_t i = 0;
  for (auto _ : state) {
    http::Response r = app.handle(requests[i]);
    if (r.status != 200) {
      state.SkipWithError(("status " + std::to_string(r.status) + ": " + r.body).c_str());
      break;
    }
    benchmark::DoNotOptimize(r.body.data());
    if (++i == requests.size()) i = 0;
  }
}

std::vector<http::Request> signedRequests(const std::string& (*body)(std::size_t), const char* service,
                                          std::size_t count) {
  auto& f = fixture();
  std::vector<http::Request> requests;
  for (std::size_t i = 0; i < count; ++i)
    requests.push_back(signedPost(body(i), f.key, f.secret, service, std::chrono::seconds(i)));
  return requests;
}

void BM_GetCallerIdentity(benchmark::State& state) {
  static const auto requests = signedRequests(
      [](std::size_t) -> const std::string& {
        static const std::string body = "Action=GetCallerIdentity&Version=2011-06-15";
        return body;
      },
      "sts", 64);
  handleEach(state, requests);
}
BENCHMARK(BM_GetCallerIdentity);

void BM_GetRole(benchmark::State& state) {
  static const auto requests = signedRequests(
      [](std::size_t) -> const std::string& {
        static const std::string body = "Action=GetRole&Version=2010-05-08&RoleName=bench-role";
        return body;
      },
      "iam", 64);
  handleEach(state, requests);
}
BENCHMARK(BM_GetRole);

// Each AssumeRole mints and keeps a session, as under load: the store grows
// with every iteration, so the count is fixed to keep runs comparable.
void BM_AssumeRole(benchmark::State& state) {
  static std::vector<std::string> bodies;
  auto& f = fixture();
  if (bodies.empty())
    for (std::size_t i = 0; i < 512; ++i)
      bodies.push_back("Action=AssumeRole&Version=2011-06-15&RoleArn=" + uriEncode(f.role_arn) +
                       "&RoleSessionName=bench-" + std::to_string(i));
  static const auto requests =
      signedRequests([](std::size_t i) -> const std::string& { return bodies[i]; }, "sts", bodies.size());
  handleEach(state, requests);
}
BENCHMARK(BM_AssumeRole)->Iterations(50000);

}  // namespace

BENCHMARK_MAIN();
