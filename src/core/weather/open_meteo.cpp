#include "core/weather/open_meteo.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

#include "core/commands/command.hpp"

namespace atrium::core::weather {

namespace {

namespace json = boost::json;

Error Bad(std::string internal) {
  return Error(ErrorCode::kUnavailable, "the weather service answered something unusable", std::move(internal));
}

std::optional<double> Number(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  return std::nullopt;
}

Result<json::object> FetchJson(net::HttpFetcher& fetcher, const std::string& url, std::chrono::milliseconds timeout) {
  auto r = fetcher.Get(url, {}, timeout);
  if (!r) return Error(ErrorCode::kUnavailable, "the weather service cannot be reached", r.error().internal_message());
  if (r->status != 200) return Bad("HTTP " + std::to_string(r->status) + " from " + url);
  boost::system::error_code ec;
  json::value v = json::parse(r->body, ec);
  if (ec || !v.is_object()) return Bad("not a JSON object from " + url);
  return std::move(v.as_object());
}

std::string Coordinate(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

}  // namespace

std::string UrlEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : value) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string WmoCondition(int code) {
  switch (code) {
    case 0:
      return "clear sky";
    case 1:
      return "mainly clear";
    case 2:
      return "partly cloudy";
    case 3:
      return "overcast";
    case 45:
    case 48:
      return "fog";
    case 51:
    case 53:
    case 55:
      return "drizzle";
    case 56:
    case 57:
      return "freezing drizzle";
    case 61:
    case 63:
    case 65:
      return "rain";
    case 66:
    case 67:
      return "freezing rain";
    case 71:
    case 73:
    case 75:
    case 77:
      return "snow";
    case 80:
    case 81:
    case 82:
      return "rain showers";
    case 85:
    case 86:
      return "snow showers";
    case 95:
      return "thunderstorm";
    case 96:
    case 99:
      return "thunderstorm with hail";
    default:
      return "unknown";
  }
}

std::string WeatherSummary(const WeatherReport& r) {
  const long t = std::lround(r.temperature_c);
  std::string out = std::to_string(t) + "°C";
  if (r.temperature_min_c) out = std::to_string(std::lround(*r.temperature_min_c)) + "–" + out;
  return out + ", " + r.condition;
}

Result<WeatherReport> OpenMeteoWeather::Report(const std::string& location,
                                               std::optional<std::chrono::year_month_day> date) {
  const std::string place = location.empty() ? settings_.default_location : location;
  if (place.empty()) {
    return Error(ErrorCode::kInvalidArgument, "no location given and weather.default_location is not set");
  }
  auto geo = FetchJson(fetcher_, settings_.geocoding_url + "?name=" + UrlEncode(place) + "&count=1&format=json",
                       settings_.timeout);
  if (!geo) return geo.error();
  const auto* results = geo->if_contains("results");
  if (!results || !results->is_array() || results->as_array().empty() || !results->as_array()[0].is_object()) {
    return Error(ErrorCode::kNotFound, "unknown location: " + place);
  }
  const auto& first = results->as_array()[0].as_object();
  const auto lat = Number(first.if_contains("latitude"));
  const auto lon = Number(first.if_contains("longitude"));
  if (!lat || !lon) return Bad("geocoding result without coordinates");
  WeatherReport report;
  report.latitude = *lat;
  report.longitude = *lon;
  report.location = place;
  if (const auto* n = first.if_contains("name"); n && n->is_string()) report.location = std::string(n->as_string());
  if (const auto* c = first.if_contains("country"); c && c->is_string() && !c->as_string().empty()) {
    report.location += ", " + std::string(c->as_string());
  }

  std::string url = settings_.forecast_url + "?latitude=" + Coordinate(*lat) + "&longitude=" + Coordinate(*lon);
  if (date) {
    const std::string day = commands::FormatDate(*date);
    url +=
        "&daily=weather_code,temperature_2m_max,temperature_2m_min,wind_speed_10m_max&timezone=auto&start_date=" + day +
        "&end_date=" + day;
  } else {
    url += "&current=temperature_2m,weather_code,wind_speed_10m&timezone=auto";
  }
  auto forecast = FetchJson(fetcher_, url, settings_.timeout);
  if (!forecast) return forecast.error();
  if (date) {
    const auto* daily = forecast->if_contains("daily");
    if (!daily || !daily->is_object()) return Bad("forecast without daily");
    const auto first_of = [&](const char* key) -> const json::value* {
      const auto* a = daily->as_object().if_contains(key);
      return a && a->is_array() && !a->as_array().empty() ? &a->as_array()[0] : nullptr;
    };
    const auto max = Number(first_of("temperature_2m_max"));
    const auto code = Number(first_of("weather_code"));
    if (!max || !code) return Bad("daily forecast without temperature or code");
    report.date = date;
    report.temperature_c = *max;
    report.temperature_min_c = Number(first_of("temperature_2m_min"));
    report.wind_speed_kmh = Number(first_of("wind_speed_10m_max")).value_or(0);
    report.weather_code = static_cast<int>(*code);
  } else {
    const auto* current = forecast->if_contains("current");
    if (!current || !current->is_object()) return Bad("forecast without current");
    const auto& cur = current->as_object();
    const auto temp = Number(cur.if_contains("temperature_2m"));
    const auto code = Number(cur.if_contains("weather_code"));
    if (!temp || !code) return Bad("current weather without temperature or code");
    report.temperature_c = *temp;
    report.wind_speed_kmh = Number(cur.if_contains("wind_speed_10m")).value_or(0);
    report.weather_code = static_cast<int>(*code);
  }
  report.condition = WmoCondition(report.weather_code);
  return report;
}

}  // namespace atrium::core::weather
