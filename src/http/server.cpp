// Boost.Beast HTTP/1.1 server. A Session only moves bytes: it reads one
// request within the configured limits, converts it to a plain
// http::Request, calls the Handler and writes the answer back, then waits for
// the next request on the same connection (keep-alive).
#include "iamlocal/http/server.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
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

// The HTTP Date header, formatted at most once per second per thread.
std::string_view httpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local char buf[40] = {};
  thread_local std::size_t len = 0;
  std::time_t now = std::time(nullptr);
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
  net::strand<net::io_context::executor_type> control{net::make_strand(ioc)};
  tcp::acceptor acceptor{control};
  std::optional<net::signal_set> signals;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, ServerCore& server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = endpoint.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
    continue_.version(11);
    continue_.result(bhttp::status::continue_);
  }

  ~Session() {
    if (registered_) server_.forget(registration_);
  }

  auto executor() { return stream_.get_executor(); }

  void start(std::list<std::weak_ptr<Session>>::iterator registration) {
    registration_ = registration;
    registered_ = true;
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->readHeader(); });
  }

  // Called on the session's strand when the server stops: an idle
  // connection closes now, a busy one after its response.
  void onServerStop() {
    if (state_ == State::Idle && buffer_.size() == 0) {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.socket().close(ec);
    }
  }

 private:
  enum class State { Idle, Busy };

  void readHeader() {
    if (server_.stopping.load(std::memory_order_relaxed)) return close();
    state_ = State::Idle;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.limits.max_header_bytes));
    parser_->body_limit(server_.options.limits.max_body_bytes);
    stream_.expires_after(requests_served_ == 0 ? server_.options.limits.read_timeout
                                                : server_.options.limits.idle_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
  }

  void onHeader(beast::error_code ec) {
    state_ = State::Busy;
    started_ = SteadyClock::now();
    if (ec) return onReadError(ec);
    stream_.expires_after(server_.options.limits.read_timeout);
    if (parser_->is_done()) return handle();
    auto& req = parser_->get();
    if (auto expect = req[bhttp::field::expect]; !expect.empty()) {
      if (iequals(expect, "100-continue")) {
        bhttp::async_write(stream_, continue_, [self = shared_from_this()](beast::error_code wec, std::size_t) {
          if (wec) return self->close();
          self->readBody();
        });
        return;
      }
    }
    readBody();
  }

  void readBody() {
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->onReadError(ec);
      self->handle();
    });
  }

  void onReadError(beast::error_code ec) {
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
    // A syntax error in what the client sent (not a dropped connection, a
    // timeout or our own shutdown) still deserves an answer.
    if (ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category() && ec != bhttp::error::end_of_stream &&
        ec != bhttp::error::partial_message) {
      return answerAndClose(400, "Sender", "MalformedHTTPRequest", "The HTTP request could not be parsed");
    }
    close();
  }

  // Answers a request that could not be read completely; the connection
  // cannot be reused because the rest of it is still unread.
  void answerAndClose(int status, std::string_view type, std::string_view code, const std::string& message) {
    std::string request_id = ids::requestId();
    res_ = {};
    res_.version(11);
    res_.result(static_cast<unsigned>(status));
    res_.set(bhttp::field::content_type, "text/xml");
    res_.set("x-amzn-RequestId", request_id);
    res_.set(bhttp::field::date, httpDate());
    res_.body() = errorXml(type, code, message, request_id);
    res_.keep_alive(false);
    res_.prepare_payload();
    log_method_ = "-";
    log_path_.clear();
    if (parser_) {
      const auto& req = parser_->get();
      if (!req.method_string().empty()) log_method_ = std::string(req.method_string());
      log_path_ = std::string(req.target().substr(0, req.target().find('?')));
    }
    if (log_path_.empty()) log_path_ = "-";
    log_request_id_ = std::move(request_id);
    write();
  }

  void handle() {
    auto& msg = parser_->get();
    Request& req = request_;
    req.method.assign(msg.method_string().data(), msg.method_string().size());
    std::string_view target(msg.target().data(), msg.target().size());
    req.target.assign(target);
    auto qpos = target.find('?');
    req.path.assign(target.substr(0, qpos));
    if (qpos == std::string_view::npos)
      req.query.clear();
    else
      req.query.assign(target.substr(qpos + 1));
    std::size_t n = 0;
    for (const auto& field : msg) {
      if (n == req.headers.size()) req.headers.emplace_back();
      auto& [name, value] = req.headers[n++];
      name.assign(field.name_string().data(), field.name_string().size());
      lowerInPlace(name);
      value.assign(field.value().data(), field.value().size());
    }
    req.headers.resize(n);
    req.body = std::move(msg.body());
    req.remote_address = remote_address_;
    req.request_id = ids::requestId();
    bool keep_alive = msg.keep_alive();
    unsigned version = msg.version();

    Response response;
    try {
      response = server_.handler(req);
    } catch (const std::exception& e) {
      response = internalFailure(req.request_id, e.what());
    } catch (...) {
      response = internalFailure(req.request_id, "unknown exception");
    }

    res_ = {};
    res_.version(version);
    res_.result(static_cast<unsigned>(response.status));
    res_.set(bhttp::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) res_.set(name, value);
    res_.set("x-amzn-RequestId", req.request_id);
    res_.set(bhttp::field::date, httpDate());
    res_.body() = std::move(response.body);
    res_.keep_alive(keep_alive && !server_.stopping.load(std::memory_order_relaxed));
    res_.prepare_payload();
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

  void write() {
    bhttp::async_write(stream_, res_, [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
      self->onWrite(ec, bytes);
    });
  }

  void onWrite(beast::error_code ec, std::size_t bytes) {
    auto* log = server_.access_log;
    if (log && log->should_log(spdlog::level::info)) {
      auto micros = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started_).count();
      log->info("{} {} {} {} {}us {}", log_method_, log_path_, res_.result_int(), bytes, micros, log_request_id_);
    }
    ++requests_served_;
    if (ec || res_.need_eof()) return close();
    readHeader();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  ServerCore& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  bhttp::response<bhttp::empty_body> continue_;
  Request request_;  // reused across requests to keep string capacity
  std::string remote_address_;
  std::string log_method_, log_path_, log_request_id_;
  SteadyClock::time_point started_;
  std::uint64_t requests_served_ = 0;
  State state_ = State::Idle;
  std::list<std::weak_ptr<Session>>::iterator registration_;
  bool registered_ = false;
};

void ServerCore::startAccept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
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
