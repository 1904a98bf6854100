#pragma once
// What a route runs: a plain function from request to reply.

#include <cstddef>
#include <functional>
#include <string>
#include <variant>

#include "http/api_error.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace atrium::http {

// A handler answers with a response, or with an error the dialect will render.
using Reply = std::variant<Response, ApiError>;
using Handler = std::function<Reply(Request&)>;

// What the OpenAPI document says about a route. Every registered route is in the
// document; these fields only make its entry precise.
struct RouteDoc {
  std::string summary;                             // empty: "<METHOD> <pattern>"
  std::string tag;                                 // groups operations ("Chat", "Commands")
  std::string request_schema;                      // a components/schemas name for a JSON body; empty: none
  std::string response_schema;                     // the 200 body's schema name; empty: any JSON
  std::string response_type = "application/json";  // or text/plain, text/event-stream, text/html
  bool secured = false;                            // needs the dialect's bearer credential
};

struct RouteOptions {
  // Largest accepted body in bytes; 0 means the site's default.
  std::size_t body_limit = 0;
  // The body is written to a file in the server's spool directory as it arrives
  // (Request::body_file) instead of into Request::body: for uploads that must never be
  // held whole in memory. body_limit applies to its bytes, as they arrive.
  bool body_to_file = false;
  // True when the handler may block (database, disk, hashing): it then runs on a worker
  // thread. Only cheap, non-blocking handlers set it to false and run on the I/O thread.
  bool blocking = true;
  RouteDoc doc;
};

}  // namespace atrium::http
