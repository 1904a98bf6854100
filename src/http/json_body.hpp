#pragma once
// JSON in and out for handlers: content-type checks, parsing with limits, and
// serialisation. Parse failures become 400/415 errors in the dialect's shape.

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "http/request.hpp"
#include "http/response.hpp"
#include "http/result.hpp"

namespace atrium::http {

// True for application/json and any application/*+json, with or without parameters.
bool IsJsonContentType(std::string_view content_type);

// Parses the request body as JSON. Fails with kUnsupportedMediaType when the
// Content-Type is present and not JSON, and kInvalidJson when the body is empty,
// malformed, or nested deeper than 64 levels.
Result<boost::json::value> ParseJsonBody(const Request& request);

// Like ParseJsonBody, but the body must be a JSON object (kInvalidJson otherwise).
Result<boost::json::object> ParseJsonObject(const Request& request);

// Serialises `value`, writing doubles in their shortest plain form (0.7, not 7E-1).
std::string ToJsonText(const boost::json::value& value);
Response JsonReply(int status, const boost::json::value& value);

}  // namespace atrium::http
