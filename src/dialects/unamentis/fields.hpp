#pragma once
// Reading fields of a unamentis JSON request body. A present value of the wrong type
// is a 400 `validation_error` naming the field in details.field; an absent or null
// field is "not given" and the caller decides whether that is allowed.

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "http/api_error.hpp"
#include "http/request.hpp"
#include "http/result.hpp"

namespace atrium::dialects::unamentis {

// A 400 with `code` as the spec's snake-case error and details {"field": field}.
http::ApiError FieldError(std::string code, std::string field, std::string message);

// Reads an optional string of at most `max_length` bytes into `out` (left unset when
// absent or null). Returns the error for a non-string or an over-long one.
std::optional<http::ApiError> OptionalString(const boost::json::object& o, std::string_view key,
                                             std::optional<std::string>& out,
                                             std::size_t max_length = std::string::npos);

// Like OptionalString, for a display name: `max_chars` counts code points, the one
// measure of a name's length (core/identity/display_name.hpp).
std::optional<http::ApiError> OptionalName(const boost::json::object& o, std::string_view key,
                                           std::optional<std::string>& out, std::size_t max_chars);

// Reads an optional boolean into `out` (unchanged when absent or null).
std::optional<http::ApiError> OptionalBool(const boost::json::object& o, std::string_view key, bool& out);

// The request body as a JSON object; an empty body (no Content-Type needed) is `{}`.
http::Result<boost::json::object> OptionalJsonObject(const http::Request& request);

}  // namespace atrium::dialects::unamentis
