#pragma once
// A complete response built by a handler. The transport adds framing headers
// (Content-Length, Connection, Date, Server).

#include <memory>
#include <string>
#include <string_view>

#include "http/headers.hpp"
#include "http/stream.hpp"

namespace atrium::http {

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the body is produced over time (chunked, then the connection closes).
  std::shared_ptr<const StreamBody> stream;

  static Response Json(int status, std::string body);
  static Response Text(int status, std::string body, std::string_view content_type);
  static Response Empty(int status);
};

}  // namespace atrium::http
