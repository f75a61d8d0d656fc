// http::fetch: a blocking Beast client with one deadline for the whole
// exchange, used by `iamlocal --healthcheck`.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "iamlocal/http/server.h"

namespace iamlocal::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

Result<Response> fetch(std::string_view host, std::uint16_t port, std::string_view target,
                       std::chrono::milliseconds timeout) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  std::string where = std::string(host) + ":" + std::to_string(port);
  auto failed = [&](std::string_view what, const beast::error_code& ec) {
    return fail(ErrorCode::ServiceUnavailable, std::string(what) + " " + where + ": " + ec.message());
  };

  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto endpoints = resolver.resolve(std::string(host), std::to_string(port), ec);
  if (ec) return failed("cannot resolve", ec);

  // Async operations under one deadline, so a hung server cannot hang us.
  stream.expires_after(timeout);
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, beast::string_view(target.data(), target.size()), 11};
  req.set(bhttp::field::host, where);
  req.set(bhttp::field::connection, "close");
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  beast::error_code result;

  stream.async_connect(endpoints, [&](beast::error_code cec, const tcp::endpoint&) {
    if (cec) {
      result = cec;
      return;
    }
    bhttp::async_write(stream, req, [&](beast::error_code wec, std::size_t) {
      if (wec) {
        result = wec;
        return;
      }
      bhttp::async_read(stream, buffer, res, [&](beast::error_code rec, std::size_t) { result = rec; });
    });
  });
  ioc.run();
  if (result) return failed("no answer from", result);

  Response out;
  out.status = static_cast<int>(res.result_int());
  if (auto type = res[bhttp::field::content_type]; !type.empty()) out.content_type = std::string(type);
  for (const auto& field : res)
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = std::move(res.body());
  return out;
}

}  // namespace iamlocal::http
