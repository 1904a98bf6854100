#pragma once
// A client-facing failure, before a dialect gives it its wire shape. Handlers return it
// as a value; the site renders it with the dialect's ErrorRenderer.

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "http/headers.hpp"

namespace atrium::http {

// What went wrong, in terms every dialect can map to its own codes.
enum class ErrorKind {
  kBadRequest,            // 400: malformed parameters
  kInvalidJson,           // 400: body is not JSON
  kValidation,            // 400/422: JSON is fine but a field is wrong
  kUnauthorized,          // 401
  kForbidden,             // 403
  kNotFound,              // 404: unknown route or resource
  kMethodNotAllowed,      // 405
  kRequestTimeout,        // 408
  kConflict,              // 409
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kRateLimited,           // 429
  kHeadersTooLarge,       // 431
  kInternal,              // 500: never carries internals
  kBadGateway,            // 502: an upstream failed
  kUnavailable,           // 503: a dependency or the server is busy
};

struct ApiError {
  int status;
  ErrorKind kind;
  std::string message;              // safe for clients
  std::optional<std::string> code;  // a dialect-specific code, when the handler knows one
  core::Reason reason = core::Reason::kNone;  // the core's neutral reason, for the dialect to map
  boost::json::object details;      // extra fields the dialect may show
  Headers headers;                  // added to the rendered response (Retry-After, ...)
};

ApiError MakeError(ErrorKind kind, std::string message);
// Maps a core error to a client error; internal details never reach the message.
ApiError FromCoreError(const core::Error& error);
int DefaultStatus(ErrorKind kind);

}  // namespace atrium::http
