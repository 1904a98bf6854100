#include "http/query_params.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace atrium::http {

namespace {

ApiError BadParam(std::string_view name, std::string message) {
  ApiError e = MakeError(ErrorKind::kBadRequest, std::move(message));
  e.details["parameter"] = std::string(name);
  return e;
}

}  // namespace

std::optional<std::int64_t> ParseInteger(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Result<std::int64_t> IntegerParam(const Request& request, std::string_view name, std::int64_t fallback,
                                  std::int64_t min, std::int64_t max) {
  const auto text = request.QueryParam(name);
  if (!text || text->empty()) return fallback;
  const auto value = ParseInteger(*text);
  if (!value || *value < min || *value > max) {
    return BadParam(
        name, std::string(name) + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return *value;
}

Result<bool> BoolParam(const Request& request, std::string_view name, bool fallback) {
  auto text = request.QueryParam(name);
  if (!text || text->empty()) return fallback;
  std::transform(text->begin(), text->end(), text->begin(), [](unsigned char c) { return std::tolower(c); });
  if (*text == "true" || *text == "1" || *text == "yes") return true;
  if (*text == "false" || *text == "0" || *text == "no") return false;
  return BadParam(name, std::string(name) + " must be true or false");
}

}  // namespace atrium::http
