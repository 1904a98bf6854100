#pragma once
// What a route runs: a plain function from request to reply.

#include <cstddef>
#include <functional>
#include <variant>

#include "http/api_error.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace atrium::http {

// A handler answers with a response, or with an error the dialect will render.
using Reply = std::variant<Response, ApiError>;
using Handler = std::function<Reply(Request&)>;

struct RouteOptions {
  // Largest accepted body in bytes; 0 means the site's default.
  std::size_t body_limit = 0;
  // True when the handler may block (database, disk, hashing): it then runs on a worker
  // thread. Only cheap, non-blocking handlers set it to false and run on the I/O thread.
  bool blocking = true;
};

}  // namespace atrium::http
