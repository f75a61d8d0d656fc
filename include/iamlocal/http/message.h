// Plain HTTP request and response values. Everything above the http layer
// deals in these; Beast types never leave src/http/.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iamlocal::http {

struct Request {
  std::string method;                                        // "GET", "POST", ...
  std::string target;                                        // path and query as sent
  std::string path;                                          // target before '?', still percent-encoded
  std::string query;                                         // target after '?', without it
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in arrival order
  std::string body;
  std::string remote_address;  // peer IP, no port
  std::string request_id;      // assigned by the server, echoed in logs and responses

  // First value of a header (name in lower case), or "" when absent.
  std::string_view header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return v;
    return {};
  }
  bool hasHeader(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return true;
    return false;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "text/xml";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;
};

// What the server calls for each request. Must not throw.
using Handler = std::function<Response(const Request&)>;

}  // namespace iamlocal::http
