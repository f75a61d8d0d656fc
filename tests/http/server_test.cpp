// The server over real sockets on port 0: keep-alive, limits, the headers it
// adds, handler failures and graceful stop.
#include "iamlocal/http/server.h"

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <initializer_list>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

namespace iamlocal::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// A server running on its own thread for the length of a test.
class RunningServer {
 public:
  explicit RunningServer(Handler handler, ServerLimits limits = {}, const Clock* clock = nullptr) {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.limits = limits;
    options.clock = clock;
    server_ = std::make_unique<Server>(options, std::move(handler));
    auto status = server_->listen();
    EXPECT_TRUE(status.has_value()) << (status ? "" : status.error().message);
    thread_ = std::thread([this] {
      server_->run();
      finished_ = true;
    });
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
  }
  std::uint16_t port() const { return server_->port(); }
  Server& server() { return *server_; }
  std::thread& thread() { return thread_; }
  bool finished() const { return finished_; }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
};

struct RawResponse {
  int status = 0;
  std::string headers;  // the header block, as received
  std::string body;
  std::string header(std::string_view lower_name) const {
    std::string lowered;
    for (char c : headers) lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    auto pos = lowered.find("\r\n" + std::string(lower_name) + ":");
    if (pos == std::string::npos) return {};
    auto start = pos + 2 + lower_name.size() + 1;
    auto end = headers.find("\r\n", start);
    std::string value = headers.substr(start, end - start);
    while (!value.empty() && value.front() == ' ') value.erase(value.begin());
    return value;
  }
};

// A deliberately small HTTP client: writes raw bytes, reads one response
// framed by Content-Length, so tests can see exactly what went over the wire.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }
  void send(std::string_view bytes) { net::write(socket_, net::buffer(bytes.data(), bytes.size())); }
  // Sends each piece after a pause, so that the server reads them separately.
  void sendInPieces(std::initializer_list<std::string_view> pieces,
                    std::chrono::milliseconds pause = std::chrono::milliseconds(30)) {
    bool first = true;
    for (std::string_view piece : pieces) {
      if (!first) std::this_thread::sleep_for(pause);
      first = false;
      send(piece);
    }
  }
  RawResponse receive() {
    RawResponse r;
    boost::system::error_code ec;
    std::size_t n = net::read_until(socket_, net::dynamic_buffer(buffer_), "\r\n\r\n", ec);
    if (ec) return r;
    r.headers = buffer_.substr(0, n);
    buffer_.erase(0, n);
    r.status = std::stoi(r.headers.substr(9, 3));
    std::size_t length = std::stoul(r.header("content-length").empty() ? "0" : r.header("content-length"));
    if (buffer_.size() < length)
      net::read(socket_, net::dynamic_buffer(buffer_), net::transfer_exactly(length - buffer_.size()), ec);
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }
  // True when the server closed the connection (a read hits end of file).
  bool closedByPeer() {
    char c;
    boost::system::error_code ec;
    socket_.read_some(net::buffer(&c, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  std::string buffer_;
};

Handler echoHandler() {
  return [](const Request& req) {
    Response r;
    r.content_type = "text/plain";
    r.body = req.method + " " + req.path + " ?" + req.query + " body=" + req.body +
             " ua=" + std::string(req.header("user-agent")) + " from=" + req.remote_address;
    r.headers.emplace_back("X-Custom", "yes");
    return r;
  };
}

TEST(HttpServer, ListenOnPortZeroReportsTheBoundPort) {
  RunningServer server(echoHandler());
  EXPECT_NE(server.port(), 0);
}

TEST(HttpServer, ServesTwoRequestsOnOneKeepAliveConnection) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  client.send("GET /first?a=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: t/1\r\n\r\n");
  auto first = client.receive();
  client.send("POST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  auto second = client.receive();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "GET /first ?a=1 body= ua=t/1 from=127.0.0.1");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "POST /second ? body=hello ua= from=127.0.0.1");
}

TEST(HttpServer, AddsRequestIdDateContentLengthAndHandlerHeaders) {
  std::string seen_request_id;
  RunningServer server([&](const Request& req) {
    seen_request_id = req.request_id;
    Response r;
    r.body = "<ok/>";
    r.headers.emplace_back("X-Custom", "yes");
    return r;
  });
  RawClient client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = client.receive();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/xml");
  EXPECT_EQ(r.header("content-length"), "5");
  EXPECT_EQ(r.header("x-custom"), "yes");
  EXPECT_EQ(r.header("x-amzn-requestid").size(), 36u);
  EXPECT_EQ(r.header("x-amzn-requestid"), seen_request_id);
  EXPECT_TRUE(r.header("date").ends_with(" GMT")) << r.header("date");
}

TEST(HttpServer, DatesItsAnswersByTheClockItIsGiven) {
  using namespace std::chrono;
  const ManualClock clock(sys_days{year{2031} / March / 4} + hours{5} + minutes{6} + seconds{7});
  RunningServer server([](const Request&) { return Response{}; }, {}, &clock);
  RawClient client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.receive().header("date"), "Tue, 04 Mar 2031 05:06:07 GMT");
}

TEST(HttpServer, GivesEveryRequestADifferentRequestId) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");  // pipelined
  auto a = client.receive();
  auto b = client.receive();
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(b.status, 200);
  EXPECT_NE(a.header("x-amzn-requestid"), b.header("x-amzn-requestid"));
}

TEST(HttpServer, LowerCasesHeaderNamesForTheHandler) {
  RunningServer server([](const Request& req) {
    Response r;
    r.body = std::string(req.header("x-amz-date"));
    return r;
  });
  RawClient client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Amz-Date: 20240101T000000Z\r\n\r\n");
  EXPECT_EQ(client.receive().body, "20240101T000000Z");
}

// Every header as the handler sees it, "name=value;" in order.
Handler headerListHandler() {
  return [](const Request& req) {
    Response r;
    r.content_type = "text/plain";
    for (const auto& [name, value] : req.headers) r.body += name + "=" + value + ";";
    return r;
  };
}

TEST(HttpServer, PassesHeadersInArrivalOrderAndForgetsThoseOfTheRequestBefore) {
  RunningServer server(headerListHandler());
  RawClient client(server.port());
  // Pipelined; the second request has fewer headers than the first, and the
  // first repeats a name with another in between.
  client.send(
      "GET /a HTTP/1.1\r\nHost: x\r\nX-Amz-Date: d1\r\nX-Dup: 1\r\nCONTENT-type: t\r\nx-dup: 2\r\n\r\n"
      "GET /b HTTP/1.1\r\nHOST: y\r\nX-Other:  v \r\n\r\n");
  auto first = client.receive();
  auto second = client.receive();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "host=x;x-amz-date=d1;x-dup=1;content-type=t;x-dup=2;");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "host=y;x-other=v;");
}

TEST(HttpServer, ReadsARequestWhoseHeaderIsSplitAcrossReads) {
  RunningServer server(headerListHandler());
  RawClient client(server.port());
  client.sendInPieces({"GET /split?q=1 HT", "TP/1.1\r\nHo", "st: x\r\nX-Amz-Da", "te: 20240101T000000Z\r\n\r", "\n"});
  auto r = client.receive();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "host=x;x-amz-date=20240101T000000Z;");
}

TEST(HttpServer, AppendsAChunkedBodysTrailerFieldsToItsHeaders) {
  RunningServer server(headerListHandler());
  RawClient client(server.port());
  client.send("POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX-Trail: t\r\n\r\n");
  EXPECT_EQ(client.receive().body, "host=x;transfer-encoding=chunked;x-trail=t;");
  client.send("GET / HTTP/1.1\r\nHost: y\r\n\r\n");
  EXPECT_EQ(client.receive().body, "host=y;");
}

TEST(HttpServer, AnswersOversizedContentLengthWith413WithoutReadingTheBody) {
  std::atomic<int> calls{0};
  ServerLimits limits;
  limits.max_body_bytes = 100;
  RunningServer server(
      [&](const Request&) {
        ++calls;
        return Response{};
      },
      limits);
  RawClient client(server.port());
  // Only the header is sent: the answer must not wait for the 1 MB body.
  client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
  auto r = client.receive();
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("<Code>RequestEntityTooLarge</Code>"), std::string::npos) << r.body;
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(client.closedByPeer());
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServer, AcceptsABodyExactlyAtTheLimit) {
  ServerLimits limits;
  limits.max_body_bytes = 10;
  RunningServer server(echoHandler(), limits);
  RawClient client(server.port());
  client.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
  auto r = client.receive();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("body=0123456789"), std::string::npos);
}

TEST(HttpServer, AnswersOversizedChunkedBodyWith413) {
  ServerLimits limits;
  limits.max_body_bytes = 8;
  RunningServer server(echoHandler(), limits);
  RawClient client(server.port());
  client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n");
  EXPECT_EQ(client.receive().status, 413);
}

TEST(HttpServer, AnswersOversizedHeadersWith431) {
  ServerLimits limits;
  limits.max_header_bytes = 256;
  RunningServer server(echoHandler(), limits);
  RawClient client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(1000, 'a') + "\r\n\r\n");
  EXPECT_EQ(client.receive().status, 431);
}

TEST(HttpServer, AnswersGarbageWith400) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  client.send("THIS IS NOT HTTP\r\n\r\n");
  auto r = client.receive();
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(client.closedByPeer());
}

TEST(HttpServer, SendsContinueBeforeReadingABodyWhenAsked) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  client.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  auto interim = client.receive();
  EXPECT_EQ(interim.status, 100);
  client.send("abc");
  auto r = client.receive();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("body=abc"), std::string::npos);
}

TEST(HttpServer, SendsContinueOnlyToTheRequestThatAsks) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  client.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nexpect: 100-Continue\r\n\r\n");
  EXPECT_EQ(client.receive().status, 100);
  client.send("abc");
  EXPECT_EQ(client.receive().status, 200);
  // The next request on the connection does not ask: its answer comes first.
  client.sendInPieces({"POST /f HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n", "de"});
  auto r = client.receive();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("POST /f ? body=de "), std::string::npos) << r.body;
}

TEST(HttpServer, ReadsABodyThatArrivesInPiecesAfterItsHeader) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  client.sendInPieces({"POST /late HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhel", "lo ", "world"},
                      std::chrono::milliseconds(50));
  auto r = client.receive();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("body=hello world "), std::string::npos) << r.body;
}

TEST(HttpServer, ReadsAChunkedBody) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  client.sendInPieces({"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
                       "2\r\nde\r\n0\r\n\r\n"},
                      std::chrono::milliseconds(20));
  auto r = client.receive();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("body=abcde "), std::string::npos) << r.body;
}

TEST(HttpServer, GivesEachRequestOnAConnectionOnlyItsOwnBody) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  client.send("POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world");
  auto first = client.receive();
  client.send("POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok");
  auto second = client.receive();
  client.send("GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
  auto third = client.receive();
  client.send("POST /4 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n");
  auto fourth = client.receive();
  EXPECT_EQ(first.body, "POST /1 ? body=hello world ua= from=127.0.0.1");
  EXPECT_EQ(second.body, "POST /2 ? body=ok ua= from=127.0.0.1");
  EXPECT_EQ(third.body, "GET /3 ? body= ua= from=127.0.0.1");
  EXPECT_EQ(fourth.body, "POST /4 ? body=z ua= from=127.0.0.1");
}

TEST(HttpServer, AnswersManyPipelinedRequestsInOrder) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  std::string burst;
  for (int i = 0; i < 2000; ++i) burst += "GET /p" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  client.send(burst);
  for (int i = 0; i < 2000; ++i) {
    auto r = client.receive();
    ASSERT_EQ(r.status, 200) << i;
    ASSERT_EQ(r.body.substr(0, r.body.find(' ', 4)), "GET /p" + std::to_string(i)) << r.body;
  }
}

TEST(HttpServer, DeliversAnAnswerLargerThanTheSocketBuffersToASlowReader) {
  const std::string big(8 * 1024 * 1024, 'x');
  RunningServer server([&](const Request&) {
    Response r;
    r.body = big;
    return r;
  });
  RawClient client(server.port());
  client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the server fill the socket
  auto first = client.receive();
  auto second = client.receive();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body.size(), big.size());
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, big);
}

TEST(HttpServer, ClosesAConnectionWhoseRequestStallsLongerThanTheReadTimeout) {
  ServerLimits limits;
  limits.read_timeout = std::chrono::milliseconds(100);
  RunningServer server(echoHandler(), limits);
  RawClient client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");  // the first request is answered...
  EXPECT_EQ(client.receive().status, 200);
  client.send("GET /stalled HTTP/1.1\r\nHo");  // ...a half-sent one is not waited for
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(HttpServer, KeepsABusyConnectionOpenPastTheIdleTimeout) {
  ServerLimits limits;
  limits.idle_timeout = std::chrono::milliseconds(150);
  RunningServer server(echoHandler(), limits);
  RawClient client(server.port());
  // Requests every 50 ms for 600 ms: never idle for 150 ms, never closed.
  for (int i = 0; i < 12; ++i) {
    client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(client.receive().status, 200) << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

TEST(HttpServer, TurnsAHandlerExceptionInto500InternalFailureAndKeepsServing) {
  RunningServer server([](const Request& req) -> Response {
    if (req.path == "/throw") throw std::runtime_error("boom");
    Response r;
    r.body = "fine";
    return r;
  });
  RawClient client(server.port());
  client.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
  auto failed = client.receive();
  EXPECT_EQ(failed.status, 500);
  EXPECT_NE(failed.body.find("<Code>InternalFailure</Code>"), std::string::npos);
  EXPECT_NE(failed.body.find("<RequestId>" + failed.header("x-amzn-requestid") + "</RequestId>"), std::string::npos);
  client.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.receive().body, "fine");
}

TEST(HttpServer, ClosesAfterAnHttp10Request) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  client.send("GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(client.receive().status, 200);
  EXPECT_TRUE(client.closedByPeer());
}

TEST(HttpServer, KeepsAnHttp10ConnectionThatAsksForKeepAlive) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  auto first = client.receive();
  EXPECT_EQ(first.status, 200);
  EXPECT_TRUE(first.headers.starts_with("HTTP/1.0 200 ")) << first.headers;
  EXPECT_EQ(first.header("connection"), "keep-alive");
  client.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  auto second = client.receive();
  EXPECT_EQ(second.status, 200);
  EXPECT_TRUE(second.headers.starts_with("HTTP/1.1 200 ")) << second.headers;
  EXPECT_EQ(second.header("connection"), "");
}

TEST(HttpServer, ClosesAfterAnHttp11RequestThatAsksToClose) {
  RunningServer server(echoHandler());
  RawClient client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n");
  auto r = client.receive();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(client.closedByPeer());
}

TEST(HttpServer, ClosesAConnectionIdleLongerThanTheIdleTimeout) {
  ServerLimits limits;
  limits.idle_timeout = std::chrono::milliseconds(100);
  RunningServer server(echoHandler(), limits);
  RawClient client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.receive().status, 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(HttpServer, StopLetsTheInFlightRequestFinishThenRunReturns) {
  std::promise<void> entered;
  std::promise<void> release;
  auto release_future = release.get_future().share();
  RunningServer server([&](const Request&) {
    entered.set_value();
    release_future.wait();
    Response r;
    r.body = "finished";
    return r;
  });
  RawClient busy(server.port());
  RawClient idle(server.port());
  busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  entered.get_future().wait();

  server.server().stop();
  // The idle connection is closed at once; the busy one still gets its answer.
  EXPECT_TRUE(idle.closedByPeer());
  EXPECT_FALSE(server.finished());
  release.set_value();
  auto r = busy.receive();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "finished");
  EXPECT_EQ(r.header("connection"), "close");
  for (int i = 0; i < 500 && !server.finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(server.finished());
}

TEST(HttpServer, RefusesNewConnectionsAfterStop) {
  RunningServer server(echoHandler());
  auto port = server.port();
  server.server().stop();
  for (int i = 0; i < 500 && !server.finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(server.finished());
  net::io_context ioc;
  tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  EXPECT_TRUE(ec);
}

TEST(HttpServer, ListenFailsWithAReasonWhenThePortIsTaken) {
  RunningServer first(echoHandler());
  ServerOptions options;
  options.port = first.port();
  Server second(options, echoHandler());
  auto status = second.listen();
  ASSERT_FALSE(status.has_value());
  EXPECT_NE(status.error().message.find(std::to_string(first.port())), std::string::npos) << status.error().message;
}

}  // namespace
}  // namespace iamlocal::http
