#include "http/json_body.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>

namespace atrium::http {

bool IsJsonContentType(std::string_view content_type) {
  const auto semi = content_type.find(';');
  std::string_view media = content_type.substr(0, semi);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  if (EqualsIgnoreCase(media, "application/json")) return true;
  constexpr std::string_view kPrefix = "application/";
  constexpr std::string_view kSuffix = "+json";
  return media.size() > kPrefix.size() + kSuffix.size() && EqualsIgnoreCase(media.substr(0, kPrefix.size()), kPrefix) &&
         EqualsIgnoreCase(media.substr(media.size() - kSuffix.size()), kSuffix);
}

namespace {

bool AllNumbersFinite(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::double_:
      return std::isfinite(v.get_double());
    case boost::json::kind::array:
      for (const auto& item : v.get_array()) {
        if (!AllNumbersFinite(item)) return false;
      }
      return true;
    case boost::json::kind::object:
      for (const auto& [k, item] : v.get_object()) {
        if (!AllNumbersFinite(item)) return false;
      }
      return true;
    default:
      return true;
  }
}

}  // namespace

Result<boost::json::value> ParseJsonBody(const Request& request) {
  if (const auto type = request.headers.Get("Content-Type"); type && !IsJsonContentType(*type)) {
    return MakeError(ErrorKind::kUnsupportedMediaType, "Content-Type must be application/json");
  }
  if (request.body.empty()) return MakeError(ErrorKind::kInvalidJson, "Request body must be JSON");
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec, {}, options);
  if (ec) return MakeError(ErrorKind::kInvalidJson, "Malformed JSON in request body");
  // 1e400 parses as infinity; stored, it would serialise as text no parser reads back.
  if (!AllNumbersFinite(value)) return MakeError(ErrorKind::kInvalidJson, "JSON numbers must be finite");
  return value;
}

Result<boost::json::object> ParseJsonObject(const Request& request) {
  auto parsed = ParseJsonBody(request);
  if (!parsed) return std::move(parsed).error();
  auto& value = *parsed;
  if (!value.is_object()) return MakeError(ErrorKind::kInvalidJson, "Request body must be a JSON object");
  return std::move(value.as_object());
}

namespace {

// Boost.JSON 1.81 prints doubles in exponent form (0.7 as 7E-1). Clients parse either,
// but people and the specs' examples read 0.7, so numbers are written here with the
// shortest round-trip form; everything else is Boost.JSON's own output.
void Write(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::string_view(k));
        out += ':';
        Write(out, item);
      }
      out += '}';
      return;
    }
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        Write(out, item);
      }
      out += ']';
      return;
    }
    case boost::json::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";  // JSON has no NaN or infinity
        return;
      }
      char buf[32];
      const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
      std::string_view text(buf, ec == std::errc() ? static_cast<std::size_t>(end - buf) : 0);
      out += text;
      // Keep it a float for readers that care (1.0, not 1).
      if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";
      return;
    }
    default:
      out += boost::json::serialize(v);
  }
}

}  // namespace

std::string ToJsonText(const boost::json::value& value) {
  std::string out;
  Write(out, value);
  return out;
}

Response JsonReply(int status, const boost::json::value& value) { return Response::Json(status, ToJsonText(value)); }

}  // namespace atrium::http
