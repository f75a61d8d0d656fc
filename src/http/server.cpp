// Boost.Beast HTTP/1.1 server. A Session only moves bytes: it reads one
// request within the configured limits (Beast's basic_parser, writing
// straight into a plain http::Request), calls the Handler and writes the
// answer back, then waits for the next request on the same connection
// (keep-alive).
#include "iamlocal/http/server.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
// GCC 12 sees a boost::optional in Beast's parser (its Content-Length) as
// maybe uninitialized once put() is inlined here; it is a false positive.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/beast/http/basic_parser.hpp>
#pragma GCC diagnostic pop
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/status.hpp>
#include <spdlog/spdlog.h>

#include "iamlocal/core/ids.h"
#include "iamlocal/core/strings.h"

namespace iamlocal::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using Strand = net::strand<net::io_context::executor_type>;
using Socket = net::basic_stream_socket<tcp, Strand>;

// The HTTP Date header, formatted at most once per second per thread.
std::string_view httpDate(const Clock* clock) {
  thread_local std::time_t cached_second = std::numeric_limits<std::time_t>::min();
  thread_local char buf[40] = {};
  thread_local std::size_t len = 0;
  const std::time_t now = clock ? std::chrono::system_clock::to_time_t(clock->now()) : std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    len = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {buf, len};
}

// AWS's query-protocol error envelope, for the few errors the server itself
// answers (the protocol layer renders everything else).
std::string errorXml(std::string_view type, std::string_view code, std::string_view message,
                     std::string_view request_id) {
  std::string out;
  out.reserve(256);
  out += "<ErrorResponse>\n  <Error>\n    <Type>";
  out += type;
  out += "</Type>\n    <Code>";
  out += code;
  out += "</Code>\n    <Message>";
  appendXmlEscaped(out, message);
  out += "</Message>\n  </Error>\n  <RequestId>";
  out += request_id;
  out += "</RequestId>\n</ErrorResponse>\n";
  return out;
}

void lowerInPlace(std::string& s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

// Beast's parser without a message behind it: the request line, the headers
// and the body go straight into the session's Request, whose strings keep
// their capacity from one request to the next. Beast's request_parser would
// allocate a fields container and one node per header, only for handle() to
// copy them out again. Beast still does the syntax, Content-Length, chunked
// framing, keep-alive semantics and the header and body limits.
class RequestParser final : public bhttp::basic_parser<true> {
  // Body buffers up to this size are reused from one request to the next.
  static constexpr std::size_t kKeptBodyCapacity = 64 * 1024;
 public:
  explicit RequestParser(Request& request) : request_(request) {}

  unsigned version() const { return version_; }

 private:
  void on_request_impl(bhttp::verb, beast::string_view method, beast::string_view target, int version,
                       beast::error_code&) override {
    Request& req = request_;
    req.method.assign(method.data(), method.size());
    const std::string_view t(target.data(), target.size());
    req.target.assign(t);
    const auto qpos = t.find('?');
    req.path.assign(t.substr(0, qpos));
    if (qpos == std::string_view::npos)
      req.query.clear();
    else
      req.query.assign(t.substr(qpos + 1));
    // A large body's buffer is not kept for the rest of the connection.
    if (req.body.capacity() > kKeptBodyCapacity) std::string().swap(req.body);
    req.body.clear();
    version_ = static_cast<unsigned>(version);
  }

  void on_response_impl(int, beast::string_view, int, beast::error_code&) override {}

  // Overwrites the previous request's entries in place, so their strings'
  // capacity is reused; on_header_impl drops the ones left over. A chunked
  // body's trailer fields come after that and are appended, as Beast's own
  // parser added them to the message's fields.
  void on_field_impl(bhttp::field, beast::string_view name, beast::string_view value,
                     beast::error_code&) override {
    auto& headers = request_.headers;
    if (fields_ == headers.size()) headers.emplace_back();
    auto& [n, v] = headers[fields_++];
    n.assign(name.data(), name.size());
    lowerInPlace(n);
    v.assign(value.data(), value.size());
  }

  void on_header_impl(beast::error_code&) override { request_.headers.resize(fields_); }

  // Beast has already checked the length against the body limit.
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length, beast::error_code&) override {
    if (content_length) request_.body.reserve(static_cast<std::size_t>(*content_length));
  }

  std::size_t on_body_impl(beast::string_view body, beast::error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }

  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}

  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code& ec) override {
    return on_body_impl(body, ec);
  }

  void on_finish_impl(beast::error_code&) override {}

  Request& request_;
  std::size_t fields_ = 0;
  unsigned version_ = 11;
};

// A completion handler that Asio treats as a continuation of the handler
// running when it was started. A read that completes at once (the client's
// next request is already there, as it often is after the answer's send)
// then runs on this thread after the current handler, instead of being
// queued for the other I/O thread and waking it.
template <class F>
struct Continuation {
  F f;
  template <class... Args>
  void operator()(Args&&... args) {
    f(std::forward<Args>(args)...);
  }
  friend bool asio_handler_is_continuation(Continuation*) { return true; }
};
template <class F>
Continuation(F) -> Continuation<F>;

class Session;

// Everything the server shares with its sessions (Server::Impl is private to
// Server, so sessions see this instead).
struct ServerCore {
  ServerCore(ServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)) {
    if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());
  }

  void startAccept();
  void doStop();
  void forget(std::list<std::weak_ptr<Session>>::iterator it) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(it);
  }

  ServerOptions options;
  Handler handler;
  spdlog::logger* access_log = spdlog::default_logger_raw();
  std::atomic<bool> stopping{false};
  std::uint16_t bound_port = 0;

  // Live sessions, so stop() can close the idle ones. Declared before the
  // io_context: sessions destroyed with its pending handlers unregister here.
  std::mutex sessions_mutex;
  std::list<std::weak_ptr<Session>> sessions;

  net::io_context ioc{static_cast<int>(options.threads)};
  Strand control{net::make_strand(ioc)};
  tcp::acceptor acceptor{control};
  std::optional<net::signal_set> signals;
};

// A connection's requests, one after another. Bytes are read with plain
// async_read_some and fed to Beast's parser, and the answer is written with
// one non-blocking send that only falls back to an async write when the
// socket is full, so a request normally costs one read completion and no
// extra trips through the scheduler (each trip can wake the other I/O thread).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, ServerCore& server)
      : socket_(std::move(socket)), deadline_timer_(socket_.get_executor()), server_(server) {
    beast::error_code ec;
    auto endpoint = socket_.remote_endpoint(ec);
    if (!ec) request_.remote_address = endpoint.address().to_string();
    socket_.set_option(tcp::no_delay(true), ec);
    // Only synchronous calls see this; asio's async operations are unaffected.
    socket_.non_blocking(true, ec);
  }

  ~Session() {
    if (registered_) server_.forget(registration_);
  }

  auto executor() { return socket_.get_executor(); }

  void start(std::list<std::weak_ptr<Session>>::iterator registration) {
    registration_ = registration;
    registered_ = true;
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->nextRequest(); });
  }

  // Called on the session's strand when the server stops: an idle
  // connection closes now, a busy one after its response.
  void onServerStop() {
    if (idle_ && buffer_.size() == 0) close();
  }

 private:
  static constexpr std::size_t kReadChunk = 16 * 1024;

  void nextRequest() {
    if (server_.stopping.load(std::memory_order_relaxed)) return close();
    idle_ = true;
    header_seen_ = false;
    // basic_parser cannot be reset after a message; without a fields
    // container a fresh one costs next to nothing.
    parser_.emplace(request_);
    parser_->eager(true);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.limits.max_header_bytes));
    parser_->body_limit(server_.options.limits.max_body_bytes);
    setDeadline(requests_served_ == 0 ? server_.options.limits.read_timeout : server_.options.limits.idle_timeout);
    parse();  // a pipelining client may have sent it already
  }

  // Feeds what is buffered to the parser; reads more when that is not enough.
  void parse() {
    if (idle_ && buffer_.size() > 0) {
      // A request has begun: all of it must arrive within the read timeout.
      idle_ = false;
      setDeadline(server_.options.limits.read_timeout);
    }
    while (buffer_.size() > 0 && !parser_->is_done()) {
      beast::error_code ec;
      std::size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == bhttp::error::need_more) break;
      if (ec) return onParseError(ec);
      if (parser_->is_header_done() && !header_seen_) {
        header_seen_ = true;
        if (onHeader()) return;
      }
      if (used == 0) break;
    }
    if (parser_->is_done()) return handle();
    read();
  }

  // Starts the request's clock. True when it started an asynchronous step
  // (the interim 100 Continue) that resumes parsing itself.
  bool onHeader() {
    started_ = SteadyClock::now();
    if (parser_->is_done()) return false;
    if (!iequals(request_.header("expect"), "100-continue")) return false;
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(socket_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->close();
                       self->parse();
                     });
    return true;
  }

  void read() {
    socket_.async_read_some(buffer_.prepare(kReadChunk),
                            Continuation{[self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close();  // end of stream, reset or our own timeout
                              self->buffer_.commit(n);
                              self->parse();
                            }});
  }

  void onParseError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return answerAndClose(413, "Sender", "RequestEntityTooLarge",
                            "Request body must be at most " +
                                std::to_string(server_.options.limits.max_body_bytes) + " bytes");
    }
    if (ec == bhttp::error::header_limit) {
      return answerAndClose(431, "Sender", "RequestHeaderFieldsTooLarge",
                            "Request headers must be at most " +
                                std::to_string(server_.options.limits.max_header_bytes) + " bytes");
    }
    // A syntax error in what the client sent still deserves an answer.
    answerAndClose(400, "Sender", "MalformedHTTPRequest", "The HTTP request could not be parsed");
  }

  // Answers a request that could not be read completely; the connection
  // cannot be reused because the rest of it is still unread.
  void answerAndClose(int status, std::string_view type, std::string_view code, const std::string& message) {
    std::string request_id = ids::requestId();
    Response response;
    response.status = status;
    response.body = errorXml(type, code, message, request_id);
    log_method_ = "-";
    log_path_.clear();
    if (parser_ && parser_->is_header_done()) {
      log_method_ = request_.method;
      log_path_ = request_.path;
    }
    if (log_path_.empty()) log_path_ = "-";
    if (!header_seen_) started_ = SteadyClock::now();
    serialize(11, response, request_id, false);
    log_request_id_ = std::move(request_id);
    write();
  }

  // The parser has filled request_ (all but the request id).
  void handle() {
    Request& req = request_;
    req.request_id = ids::requestId();
    const bool client_keeps_alive = parser_->keep_alive();
    const unsigned version = parser_->version();

    Response response;
    try {
      response = server_.handler(req);
    } catch (const std::exception& e) {
      response = internalFailure(req.request_id, e.what());
    } catch (...) {
      response = internalFailure(req.request_id, "unknown exception");
    }
    // Read after the handler: a stop during it ends the connection.
    serialize(version, response, req.request_id,
              client_keeps_alive && !server_.stopping.load(std::memory_order_relaxed));
    log_method_.swap(req.method);
    log_path_.swap(req.path);
    log_request_id_.swap(req.request_id);
    write();
  }

  static Response internalFailure(const std::string& request_id, std::string_view what) {
    SPDLOG_ERROR("request {} handler threw: {}", request_id, what);
    Response r;
    r.status = 500;
    r.body = errorXml("Receiver", "InternalFailure",
                      "The request processing has failed because of an unknown error, exception or failure.",
                      request_id);
    return r;
  }

  // The whole answer in one buffer: status line, headers, body. An HTTP/1.1
  // answer that ends the connection says so; an HTTP/1.0 one that keeps it
  // says that instead (the two protocols' defaults differ).
  void serialize(unsigned version, Response& response, std::string_view request_id, bool keep_alive) {
    const auto status = bhttp::int_to_status(static_cast<unsigned>(response.status));
    std::string_view reason = bhttp::obsolete_reason(status);
    std::string& out = out_;
    out.clear();
    out.reserve(256 + response.body.size());
    out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out += std::to_string(response.status);
    out += ' ';
    out += reason;
    out += "\r\nContent-Type: ";
    out += response.content_type;
    for (const auto& [name, value] : response.headers) {
      out += "\r\n";
      out += name;
      out += ": ";
      out += value;
    }
    out += "\r\nx-amzn-RequestId: ";
    out += request_id;
    out += "\r\nDate: ";
    out += httpDate(server_.options.clock);
    out += "\r\nContent-Length: ";
    out += std::to_string(response.body.size());
    if (version == 10 && keep_alive) out += "\r\nConnection: keep-alive";
    if (version != 10 && !keep_alive) out += "\r\nConnection: close";
    out += "\r\n\r\n";
    out += response.body;
    status_ = response.status;
    close_after_write_ = !keep_alive;
  }

  void write() {
    beast::error_code ec;
    std::size_t sent = socket_.write_some(net::buffer(out_), ec);
    if (!ec && sent == out_.size()) return onWritten({}, sent, /*synchronous=*/true);
    if (ec && ec != net::error::would_block && ec != net::error::try_again) return onWritten(ec, 0, true);
    if (ec) sent = 0;
    // The peer is not reading fast enough: the rest goes out asynchronously.
    net::async_write(socket_, net::buffer(out_.data() + sent, out_.size() - sent),
                     [self = shared_from_this(), sent](beast::error_code wec, std::size_t more) {
                       self->onWritten(wec, sent + more, false);
                     });
  }

  void onWritten(beast::error_code ec, std::size_t bytes, bool synchronous) {
    auto* log = server_.access_log;
    if (log && log->should_log(spdlog::level::info)) {
      auto micros = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started_).count();
      log->info("{} {} {} {} {}us {}", log_method_, log_path_, status_, bytes, micros, log_request_id_);
    }
    ++requests_served_;
    if (ec || close_after_write_) return close();
    // Pipelined requests already buffered would otherwise be answered by
    // ever deeper recursion; a post bounds the stack.
    if (synchronous && buffer_.size() > 0)
      return net::post(socket_.get_executor(), [self = shared_from_this()] { self->nextRequest(); });
    nextRequest();
  }

  // Read and idle limits with one timer that is rarely touched: moving the
  // deadline later only records it, and the timer, when it fires early,
  // waits again for the recorded deadline. Re-arming on every request would
  // cost a timerfd update and a cancelled wait's completion each time.
  void setDeadline(std::chrono::milliseconds timeout) {
    deadline_ = SteadyClock::now() + timeout;
    if (timer_armed_ && deadline_ >= deadline_timer_.expiry()) return;
    armTimer();
  }

  void armTimer() {
    timer_armed_ = true;
    deadline_timer_.expires_at(deadline_);
    deadline_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;  // re-armed or cancelled: the newer wait decides
      self->timer_armed_ = false;
      if (!self->socket_.is_open()) return;
      if (SteadyClock::now() < self->deadline_) return self->armTimer();
      self->close();  // the pending read or write ends with operation_aborted
    });
  }

  void close() {
    beast::error_code ec;
    deadline_timer_.cancel();
    timer_armed_ = false;
    if (!socket_.is_open()) return;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
  }

  Socket socket_;
  net::basic_waitable_timer<SteadyClock, net::wait_traits<SteadyClock>, Strand> deadline_timer_;
  ServerCore& server_;
  beast::flat_buffer buffer_;
  Request request_;  // reused across requests to keep string capacity
  std::optional<RequestParser> parser_;  // writes into request_
  std::string out_;                      // the serialized answer being sent
  std::string log_method_, log_path_, log_request_id_;
  SteadyClock::time_point started_;
  SteadyClock::time_point deadline_;
  std::uint64_t requests_served_ = 0;
  int status_ = 0;
  bool idle_ = true;
  bool header_seen_ = false;
  bool close_after_write_ = false;
  bool timer_armed_ = false;
  std::list<std::weak_ptr<Session>>::iterator registration_;
  bool registered_ = false;
};

void ServerCore::startAccept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, Socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      // Out of file descriptors and the like: keep serving the others.
      SPDLOG_WARN("accept failed: {}", ec.message());
      return startAccept();
    }
    auto session = std::make_shared<Session>(std::move(socket), *this);
    std::list<std::weak_ptr<Session>>::iterator it;
    {
      std::lock_guard lock(sessions_mutex);
      it = sessions.insert(sessions.end(), session);
    }
    session->start(it);
    startAccept();
  });
}

void ServerCore::doStop() {
  if (stopping.exchange(true)) return;
  beast::error_code ec;
  acceptor.close(ec);
  if (signals) signals->cancel(ec);
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mutex);
    for (auto& weak : sessions)
      if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) net::post(s->executor(), [s] { s->onServerStop(); });
}

}  // namespace

struct Server::Impl : ServerCore {
  using ServerCore::ServerCore;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() {
  if (impl_) {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  }
}

Status Server::listen() {
  auto& impl = *impl_;
  const auto& host = impl.options.host;
  beast::error_code ec;
  tcp::endpoint endpoint;
  auto address = net::ip::make_address(host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, impl.options.port);
  } else {
    tcp::resolver resolver(impl.ioc);
    auto results = resolver.resolve(host, std::to_string(impl.options.port), ec);
    if (ec || results.empty())
      return fail(ErrorCode::InternalFailure, "cannot resolve host '" + host + "': " + ec.message());
    endpoint = results.begin()->endpoint();
  }
  auto where = [&] { return host + ":" + std::to_string(impl.options.port); };
  if (impl.acceptor.open(endpoint.protocol(), ec); ec)
    return fail(ErrorCode::InternalFailure, "cannot listen on " + where() + ": " + ec.message());
  impl.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (impl.acceptor.bind(endpoint, ec); ec)
    return fail(ErrorCode::InternalFailure, "cannot listen on " + where() + ": " + ec.message());
  if (impl.acceptor.listen(net::socket_base::max_listen_connections, ec); ec)
    return fail(ErrorCode::InternalFailure, "cannot listen on " + where() + ": " + ec.message());
  impl.bound_port = impl.acceptor.local_endpoint(ec).port();
  if (impl.options.stop_on_signals) {
    impl.signals.emplace(impl.control, SIGINT, SIGTERM);
    impl.signals->async_wait([&impl](beast::error_code sec, int) {
      if (!sec) impl.doStop();
    });
  }
  net::dispatch(impl.control, [&impl] { impl.startAccept(); });
  return {};
}

std::uint16_t Server::port() const { return impl_->bound_port; }

void Server::run() {
  auto& impl = *impl_;
  std::vector<std::thread> threads;
  threads.reserve(impl.options.threads - 1);
  for (unsigned i = 1; i < impl.options.threads; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  auto& impl = *impl_;
  net::post(impl.control, [&impl] { impl.doStop(); });
}

}  // namespace iamlocal::http
