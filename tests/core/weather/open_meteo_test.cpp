// The Open-Meteo client against a scripted fetcher: the URLs it asks, the report it
// builds, and each failure it reports.

#include "core/weather/open_meteo.hpp"

#include <gtest/gtest.h>

#include <map>

namespace atrium::core::weather {
namespace {

class ScriptedFetcher final : public net::HttpFetcher {
 public:
  Result<net::FetchResponse> Get(const std::string& url, const std::vector<std::pair<std::string, std::string>>&,
                                 std::chrono::milliseconds) override {
    asked.push_back(url);
    const auto q = url.find('?');
    const auto it = answers.find(url.substr(0, q));
    if (it == answers.end()) return Error(ErrorCode::kUnavailable, "unreachable");
    return it->second;
  }
  std::map<std::string, net::FetchResponse> answers;
  std::vector<std::string> asked;
};

constexpr const char* kGeo = "http://w/v1/search";
constexpr const char* kForecast = "http://w/v1/forecast";

OpenMeteoSettings Settings() { return {kForecast, kGeo, "Berlin", std::chrono::milliseconds(100)}; }

TEST(OpenMeteo, CurrentWeatherForTheDefaultPlace) {
  ScriptedFetcher f;
  f.answers[kGeo] = {200,
                     R"({"results":[{"name":"Berlin","latitude":52.52437,"longitude":13.41053,"country":"Germany"}]})"};
  f.answers[kForecast] = {200, R"({"current":{"temperature_2m":15.2,"weather_code":2,"wind_speed_10m":11.5}})"};
  OpenMeteoWeather w(Settings(), f);
  auto r = w.Report("", std::nullopt);
  ASSERT_TRUE(r) << r.error().internal_message();
  EXPECT_EQ(r->location, "Berlin, Germany");
  EXPECT_EQ(WeatherSummary(*r), "15°C, partly cloudy");
  EXPECT_DOUBLE_EQ(r->wind_speed_kmh, 11.5);
  ASSERT_EQ(f.asked.size(), 2u);
  EXPECT_EQ(f.asked[0], "http://w/v1/search?name=Berlin&count=1&format=json");
  EXPECT_EQ(f.asked[1],
            "http://w/v1/forecast?latitude=52.5244&longitude=13.4105"
            "&current=temperature_2m,weather_code,wind_speed_10m&timezone=auto");
}

TEST(OpenMeteo, ADaysForecast) {
  ScriptedFetcher f;
  f.answers[kGeo] = {200, R"({"results":[{"name":"São Paulo","latitude":-23.5,"longitude":-46.6}]})"};
  f.answers[kForecast] = {200, R"({"daily":{"time":["2026-02-08"],"weather_code":[61],
      "temperature_2m_max":[28.4],"temperature_2m_min":[19.6],"wind_speed_10m_max":[20]}})"};
  OpenMeteoWeather w(Settings(), f);
  const std::chrono::year_month_day day{std::chrono::year(2026), std::chrono::February, std::chrono::day(8)};
  auto r = w.Report("São Paulo", day);
  ASSERT_TRUE(r) << r.error().internal_message();
  EXPECT_EQ(WeatherSummary(*r), "20–28°C, rain");
  EXPECT_EQ(f.asked[0], "http://w/v1/search?name=S%C3%A3o%20Paulo&count=1&format=json");
  EXPECT_NE(f.asked[1].find("&start_date=2026-02-08&end_date=2026-02-08"), std::string::npos);
}

TEST(OpenMeteo, UnknownPlaceIsNotFound) {
  ScriptedFetcher f;
  f.answers[kGeo] = {200, R"({"generationtime_ms":0.1})"};
  OpenMeteoWeather w(Settings(), f);
  auto r = w.Report("Atlantis", std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(r.error().safe_message(), "unknown location: Atlantis");
}

TEST(OpenMeteo, FailuresAreUnavailable) {
  ScriptedFetcher f;
  OpenMeteoWeather w(Settings(), f);
  auto unreachable = w.Report("Berlin", std::nullopt);
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(unreachable.error().safe_message(), "the weather service cannot be reached");

  f.answers[kGeo] = {500, "oops"};
  auto status = w.Report("Berlin", std::nullopt);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().safe_message(), "the weather service answered something unusable");

  f.answers[kGeo] = {200, R"({"results":[{"name":"Berlin","latitude":52.5,"longitude":13.4}]})"};
  f.answers[kForecast] = {200, R"({"current":{"temperature_2m":"warm"}})"};
  auto garbage = w.Report("Berlin", std::nullopt);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code(), ErrorCode::kUnavailable);
}

TEST(OpenMeteo, NoPlaceAndNoDefault) {
  ScriptedFetcher f;
  OpenMeteoWeather w({kForecast, kGeo, "", std::chrono::milliseconds(100)}, f);
  auto r = w.Report("", std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(f.asked.empty());
}

}  // namespace
}  // namespace atrium::core::weather
