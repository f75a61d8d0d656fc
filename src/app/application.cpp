#include "iamlocal/app/application.h"

#include <cstdio>
#include <map>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>
#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "iamlocal/core/clock.h"
#include "iamlocal/core/strings.h"
#include "iamlocal/http/server.h"
#include "iamlocal/protocol/model.h"
#include "iamlocal/services/authorizer.h"
#include "iamlocal/services/ec2.h"
#include "iamlocal/services/iam.h"
#include "iamlocal/services/imds.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/services/query_endpoint.h"
#include "iamlocal/services/sts.h"
#include "iamlocal/store/store.h"

namespace iamlocal::app {
namespace {

constexpr std::string_view kAdminPrefix = "/_iamlocal";
constexpr std::int64_t kMaxClockOffsetSeconds = 100LL * 365 * 24 * 3600;

// The store's IAM access keys and STS sessions, plus the configured root
// key pairs (the default account's and those of "accounts"), which live in
// the configuration, not in the store.
class RootAwareCredentials final : public auth::CredentialSource {
 public:
  RootAwareCredentials(const Config& config, const store::Store& store) : store_(store) {
    addRoot(config.account, config.root_access_key, config.root_secret_key);
    for (const auto& keys : config.accounts) addRoot(keys.id, keys.root_access_key, keys.root_secret_key);
  }
  std::optional<auth::Credential> findAccessKey(std::string_view access_key_id) const override {
    if (auto it = roots_.find(access_key_id); it != roots_.end()) return it->second;
    return store_.findAccessKey(access_key_id);
  }

 private:
  void addRoot(const std::string& account, const std::string& key, const std::string& secret) {
    auth::Credential root;
    root.access_key_id = key;
    root.secret_access_key = secret;
    root.principal = auth::rootPrincipal(account, key);
    roots_.emplace(key, std::move(root));
  }

  const store::Store& store_;
  std::map<std::string, auth::Credential, std::less<>> roots_;
};

http::Response json(int status, const nlohmann::json& body) {
  http::Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump();
  return r;
}

http::Response adminError(int status, std::string_view code, std::string message) {
  return json(status, {{"error", code}, {"message", std::move(message)}});
}

http::ServerOptions serverOptions(const Config& config, const Clock& clock) {
  http::ServerOptions o;
  o.clock = &clock;
  o.host = config.host;
  o.port = config.port;
  o.threads = config.threads;
  o.limits.max_body_bytes = config.max_body_bytes;
  o.limits.max_header_bytes = config.max_header_bytes;
  o.limits.read_timeout = config.read_timeout;
  o.limits.idle_timeout = config.idle_timeout;
  o.stop_on_signals = true;
  return o;
}

}  // namespace

struct Application::Impl {
  explicit Impl(Config c)
      : config(std::move(c)),
        credentials(config, store),
        endpoint(operations, credentials, clock, endpointConfig(config, store)),
        server(serverOptions(config, clock), [this](const http::Request& r) { return route(r); }),
        imds(store, clock, metadataOptions(config)) {
    services::registerIamOperations(operations, store);
    services::registerEc2Operations(operations, store);
    declareInstances();
    if (config.imds_port != 0) {
      // The metadata service alone, as at http://169.254.169.254/.
      http::ServerOptions o = serverOptions(config, clock);
      o.port = config.imds_port;
      o.threads = 1;
      o.stop_on_signals = false;
      imds_server = std::make_unique<http::Server>(o, [this](const http::Request& r) { return routeImds(r); });
    }
    services::registerStsOperations(
        operations, store, credentials,
        services::StsOptions{config.account,
                             config.auth == services::AuthMode::Enforce || config.auth == services::AuthMode::Soft,
                             config.auth == services::AuthMode::Soft});
    // What each operation asks permission for (enforce and soft modes).
    services::registerIamAccess(operations, store);
    services::registerStsAccess(operations);
    // A service counts as available once its handlers are registered.
    nlohmann::json services_status = {
        {"iam", operations.find("iam", "GetUser") ? "available" : "unavailable"},
        {"sts", operations.find("sts", "GetCallerIdentity") ? "available" : "unavailable"},
        {"ec2", operations.find("ec2", "RunInstances") ? "available" : "unavailable"},
    };
    health_body = nlohmann::json{{"status", "running"}, {"version", kVersion}, {"services", services_status}}.dump();
  }

  ~Impl() {
    if (imds_thread.joinable()) {
      imds_server->stop();
      imds_thread.join();
    }
    if (warm_up.joinable()) warm_up.join();
  }

  // The config file's instances, in the default account (at start and
  // after every reset). A profile they name may be created later.
  void declareInstances() {
    for (const auto& spec : config.instances) {
      auto id = services::declareInstance(store, config.account, config.region, spec, clock.now());
      if (!id) SPDLOG_ERROR("declared instance not created: {}", id.error().message);
    }
  }

  static services::MetadataOptions metadataOptions(const Config& config) {
    services::MetadataOptions o;
    o.region = config.region;
    o.default_instance_id = config.imds_instance;
    o.container_role = config.container_role;
    o.container_token = config.container_token;
    o.default_account_id = config.account;
    return o;
  }

  // The metadata service's own listener: everything is metadata.
  http::Response routeImds(const http::Request& request) {
    std::string_view path = request.path;
    if (path.starts_with(services::kInstancePathPrefix)) return imds.handlePrefixed(request);
    return imds.handle(request);
  }

  http::Response route(const http::Request& request) {
    std::string_view path = request.path;
    // Instance metadata and container credentials share the main port.
    if (path == "/latest" || path.starts_with("/latest/")) return imds.handle(request);
    if (path.starts_with(services::kInstancePathPrefix)) return imds.handlePrefixed(request);
    if (path == services::kContainerCredentialsPath || path.starts_with(services::kContainerRelativePrefix))
      return imds.containerCredentials(request);
    if (path.starts_with(kAdminPrefix) && (path.size() == kAdminPrefix.size() || path[kAdminPrefix.size()] == '/'))
      return admin(request);
    return endpoint.handle(request);
  }

  http::Response admin(const http::Request& request) {
    std::string_view path = request.path;
    if (path == "/_iamlocal/health") {
      if (request.method != "GET" && request.method != "HEAD") return methodNotAllowed(request, "GET");
      http::Response r;
      r.content_type = "application/json";
      r.body = health_body;
      return r;
    }
    if (path == "/_iamlocal/reset") {
      if (request.method != "POST") return methodNotAllowed(request, "POST");
      store.reset();
      declareInstances();
      SPDLOG_INFO("state reset");
      return json(200, {{"status", "reset"}});
    }
    if (path == "/_iamlocal/clock" && config.enable_clock_control) return clockControl(request);
    if (path == "/_iamlocal/imds/certificate") {
      // The certificate that verifies instance identity documents' signatures.
      if (request.method != "GET") return methodNotAllowed(request, "GET");
      http::Response r;
      r.content_type = "application/x-pem-file";
      r.body = imds.certificatePem();
      return r;
    }
    return adminError(404, "NotFound", "no admin endpoint " + request.method + " " + request.path);
  }

  // GET: the server's time and offset; POST {"offset_seconds": N}: sets the
  // offset from real time (what credential expiry and SigV4's 15-minute
  // window are judged by).
  http::Response clockControl(const http::Request& request) {
    if (request.method == "POST") {
      auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
      auto offset = body.is_object() ? body.find("offset_seconds") : body.end();
      if (!body.is_object() || offset == body.end() || !offset->is_number_integer())
        return adminError(400, "InvalidRequest", "expected a JSON object {\"offset_seconds\": <integer>}");
      const auto seconds = offset->get<std::int64_t>();
      // Beyond ~100 years the clock would leave the range timestamps print in.
      if (seconds < -kMaxClockOffsetSeconds || seconds > kMaxClockOffsetSeconds)
        return adminError(400, "InvalidRequest", "offset_seconds must be within +/-" +
                                                     std::to_string(kMaxClockOffsetSeconds));
      clock.setOffsetSeconds(seconds);
      SPDLOG_INFO("clock offset set to {} s", seconds);
    } else if (request.method != "GET") {
      return methodNotAllowed(request, "GET, POST");
    }
    return json(200, {{"offset_seconds", clock.offsetSeconds()}, {"now", formatIso8601(clock.now())}});
  }

  static services::QueryEndpointConfig endpointConfig(const Config& config, store::Store& store) {
    services::QueryEndpointConfig c;
    c.default_account_id = config.account;
    c.region = config.region;
    c.auth_mode = config.auth;
    c.store = &store;
    c.on_key_used = [&store](const auth::Principal& caller, std::string_view service, std::string_view region,
                             TimePoint when) { store.recordAccessKeyUse(caller.access_key_id, when, service, region); };
    return c;
  }

  static http::Response methodNotAllowed(const http::Request& request, std::string_view allowed) {
    auto r = adminError(405, "MethodNotAllowed",
                        request.path + " accepts " + std::string(allowed) + ", not " + request.method);
    r.headers.emplace_back("Allow", std::string(allowed));
    return r;
  }

  Config config;
  SystemClock clock;
  store::Store store;
  services::OperationTable operations;
  RootAwareCredentials credentials;
  services::QueryEndpoint endpoint;
  std::string health_body;
  http::Server server;
  services::MetadataService imds;
  std::unique_ptr<http::Server> imds_server;  // --imds-port
  std::thread imds_thread;
  std::thread warm_up;
};

Application::Application(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Application::~Application() = default;

http::Response Application::handle(const http::Request& request) const { return impl_->route(request); }

Status Application::listen() {
  if (impl_->imds_server) {
    auto status = impl_->imds_server->listen();
    if (!status) return fail(status.error().code, "metadata service (--imds-port): " + status.error().message);
  }
  return impl_->server.listen();
}
std::uint16_t Application::port() const { return impl_->server.port(); }

void Application::run() {
  // Compile the service models while the first requests come in, so that
  // start-up itself does nothing heavy and the first AWS call rarely waits.
  if (!impl_->warm_up.joinable()) {
    impl_->warm_up = std::thread([] {
      protocol::iamModel();
      protocol::stsModel();
    });
  }
  if (impl_->imds_server && !impl_->imds_thread.joinable())
    impl_->imds_thread = std::thread([this] { impl_->imds_server->run(); });
  impl_->server.run();
  if (impl_->imds_thread.joinable()) {
    impl_->imds_server->stop();
    impl_->imds_thread.join();
  }
}

void Application::stop() { impl_->server.stop(); }

namespace {

void setUpLogging(const std::string& level) {
  // Access-log lines are formatted on the I/O threads and written by one
  // background thread, so request threads never wait on stdout. Under a
  // flood the oldest queued lines are dropped rather than stalling requests.
  // The queue is preallocated, so its length is resident memory: 256 lines.
  spdlog::init_thread_pool(256, 1);
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_st>();
  auto logger = std::make_shared<spdlog::async_logger>("iamlocal", sink, spdlog::thread_pool(),
                                                       spdlog::async_overflow_policy::overrun_oldest);
  logger->set_level(spdlog::level::from_str(level));
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

std::string urlHost(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

int healthcheck(const Config& config) {
  std::string host = config.host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (config.port == 0) {
    std::fprintf(stderr, "iamlocal: --healthcheck needs the server's port (--port or IAMLOCAL_PORT)\n");
    return 2;
  }
  auto r = http::fetch(host, config.port, "/_iamlocal/health", std::chrono::seconds(3));
  if (!r) {
    std::fprintf(stderr, "iamlocal: unhealthy: %s\n", r.error().message.c_str());
    return 1;
  }
  if (r->status != 200 || r->body.find("\"running\"") == std::string::npos) {
    std::fprintf(stderr, "iamlocal: unhealthy: HTTP %d %s\n", r->status, r->body.c_str());
    return 1;
  }
  std::printf("%s\n", r->body.c_str());
  return 0;
}

}  // namespace

int runMain(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto invocation = parseInvocation(args, processEnvironment());
  if (!invocation) {
    std::fprintf(stderr, "iamlocal: %s\n", invocation.error().message.c_str());
    return 2;
  }
  switch (invocation->mode) {
    case Mode::Help:
      std::fputs(helpText().c_str(), stdout);
      return 0;
    case Mode::Version:
      std::printf("iamlocal %.*s\n", static_cast<int>(kVersion.size()), kVersion.data());
      return 0;
    case Mode::Healthcheck:
      return healthcheck(invocation->config);
    case Mode::Serve:
      break;
  }

  const Config& config = invocation->config;
  setUpLogging(config.log_level);
  int code = 0;
  {
    Application app(config);
    if (auto status = app.listen(); !status) {
      std::fprintf(stderr, "iamlocal: %s\n", status.error().message.c_str());
      code = 1;
    } else {
      // Always printed, whatever the log level: tools wait for this line.
      std::printf("iamlocal listening on http://%s:%u (version %.*s, account %s, region %s, auth %.*s)\n",
                  urlHost(config.host).c_str(), static_cast<unsigned>(app.port()),
                  static_cast<int>(kVersion.size()), kVersion.data(), config.account.c_str(), config.region.c_str(),
                  static_cast<int>(services::authModeName(config.auth).size()),
                  services::authModeName(config.auth).data());
      std::fflush(stdout);
      app.run();
      SPDLOG_INFO("iamlocal stopped");
    }
  }
  spdlog::shutdown();
  return code;
}

}  // namespace iamlocal::app
