#pragma once
// Typed query parameters for list endpoints, answered with a 400 naming the parameter
// when a value is malformed or out of range.

#include <cstdint>
#include <optional>
#include <string_view>

#include "http/request.hpp"
#include "http/result.hpp"

namespace atrium::http {

// A base-10 integer with an optional sign and nothing else around it.
std::optional<std::int64_t> ParseInteger(std::string_view text);

// `name` as an integer in [min, max]; `fallback` when absent or empty.
Result<std::int64_t> IntegerParam(const Request& request, std::string_view name, std::int64_t fallback,
                                  std::int64_t min, std::int64_t max);

// `name` as a boolean (true/false, 1/0, yes/no, any case); `fallback` when absent or empty.
Result<bool> BoolParam(const Request& request, std::string_view name, bool fallback);

}  // namespace atrium::http
