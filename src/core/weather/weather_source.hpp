#pragma once
// Weather as the core sees it: the conditions at a named place, now or on a day.

#include <chrono>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace atrium::core::weather {

struct WeatherReport {
  std::string location;  // as the source names it ("Berlin, Germany")
  double latitude = 0, longitude = 0;
  std::optional<std::chrono::year_month_day> date;  // set for a day's forecast
  double temperature_c = 0;                         // now, or the day's maximum
  std::optional<double> temperature_min_c;          // a day's minimum
  double wind_speed_kmh = 0;
  int weather_code = 0;   // WMO code
  std::string condition;  // "partly cloudy"
};

class WeatherSource {
 public:
  virtual ~WeatherSource() = default;
  // `location` empty: the configured default place. kNotFound for an unknown place,
  // kUnavailable when the service cannot be reached or answers garbage. Blocks.
  virtual Result<WeatherReport> Report(const std::string& location,
                                       std::optional<std::chrono::year_month_day> date) = 0;
};

// "15°C, partly cloudy" (rounded to whole degrees).
std::string WeatherSummary(const WeatherReport& report);
// The WMO weather interpretation code in words ("partly cloudy"); "unknown" otherwise.
std::string WmoCondition(int code);

}  // namespace atrium::core::weather
