#pragma once
// WeatherSource over an Open-Meteo-compatible HTTP API: the geocoding endpoint turns a
// place name into coordinates (`/v1/search?name=...`), the forecast endpoint gives the
// current conditions or a day's (`/v1/forecast?latitude=...&current=...|daily=...`).

#include <chrono>
#include <string>

#include "core/net/http_fetcher.hpp"
#include "core/weather/weather_source.hpp"

namespace atrium::core::weather {

struct OpenMeteoSettings {
  std::string forecast_url;   // e.g. http://127.0.0.1:8088/v1/forecast
  std::string geocoding_url;  // e.g. http://127.0.0.1:8088/v1/search
  std::string default_location;
  std::chrono::milliseconds timeout{5000};
};

class OpenMeteoWeather final : public WeatherSource {
 public:
  OpenMeteoWeather(OpenMeteoSettings settings, net::HttpFetcher& fetcher)
      : settings_(std::move(settings)), fetcher_(fetcher) {}

  Result<WeatherReport> Report(const std::string& location, std::optional<std::chrono::year_month_day> date) override;

 private:
  OpenMeteoSettings settings_;
  net::HttpFetcher& fetcher_;
};

// Percent-encodes a query value (RFC 3986 unreserved characters stay).
std::string UrlEncode(std::string_view value);

}  // namespace atrium::core::weather
