// The HTTP/1.1 server: accepts connections, reads requests within named
// limits and hands each one to a Handler. Beast stays behind the pimpl.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "iamlocal/core/clock.h"
#include "iamlocal/core/result.h"
#include "iamlocal/http/message.h"

namespace iamlocal::http {

struct ServerLimits {
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;  // larger bodies answer 413 unread
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4566;  // 0 picks a free port
  unsigned threads = 0;       // 0: the machine's cores
  ServerLimits limits;
  // SIGINT and SIGTERM call stop() (for the real process; tests leave it off).
  bool stop_on_signals = false;
  // The time the Date header shows; null: the system's. The server's own
  // clock, so that an SDK correcting its clock skew from Date (as the
  // JavaScript SDK does) sees the time the server judges signatures by.
  const Clock* clock = nullptr;
};

// Each request gets an x-amzn-RequestId (ids::requestId(), also in
// Request::request_id), a Date and a Content-Length. One access-log line per
// request goes to spdlog's default logger at info level, so raising the
// level to warn silences it; install the logger before constructing a Server.
class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; the error says why when the address is unusable.
  Status listen();
  // The bound port (useful with port 0), valid after listen().
  std::uint16_t port() const;
  // Runs the I/O threads until stop(); returns when in-flight requests are done.
  void run();
  // Stops accepting, lets in-flight requests finish. Safe from any thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A minimal blocking HTTP/1.1 client for the few places that need one
// (`iamlocal --healthcheck` in the container): one GET, the whole answer or
// why there is none. Not for the request path.
Result<Response> fetch(std::string_view host, std::uint16_t port, std::string_view target,
                       std::chrono::milliseconds timeout);

}  // namespace iamlocal::http
