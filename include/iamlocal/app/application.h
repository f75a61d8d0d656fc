// The whole iamlocal process: the store, the operation table, the query
// endpoint and the admin routes behind one HTTP server. main() only calls
// runMain; tests drive handle() without sockets.
#pragma once

#include <cstdint>
#include <memory>

#include "iamlocal/app/config.h"
#include "iamlocal/core/result.h"
#include "iamlocal/http/message.h"

namespace iamlocal::app {

class Application {
 public:
  explicit Application(Config config);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // Routes one request: /_iamlocal/* to the admin endpoints (JSON), anything
  // else to the AWS query endpoint.
  http::Response handle(const http::Request& request) const;

  // Binds the configured address (port() is then the real port).
  Status listen();
  std::uint16_t port() const;
  // Serves until SIGINT/SIGTERM or stop(); in-flight requests finish first.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The command line: parses flags, environment and config file, then serves,
// prints help or version, or probes a running server (--healthcheck).
// Returns the process exit code: 0 after a clean stop, 1 when the server
// cannot start or is unhealthy, 2 for bad options.
int runMain(int argc, char** argv);

}  // namespace iamlocal::app
