#include "dialects/pisovereign/command_json.hpp"

#include <cmath>
#include <cstdio>

namespace atrium::dialects::pisovereign {

namespace {

namespace json = boost::json;
using core::commands::CommandType;

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

// "09:00" in `zone`.
std::string LocalClock(core::time::Seconds t, const core::time::TimeZone& zone) {
  const auto local = zone.ToLocal(t);
  const auto since_midnight = local - std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss hms{since_midnight};
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return buf;
}

}  // namespace

json::object CommandJson(const core::commands::Command& c, const core::time::TimeZone& zone) {
  json::object o{{"type", core::commands::CommandTypeName(c.type)}};
  const auto iso = [&](const std::optional<core::time::Seconds>& t) -> json::value {
    if (!t) return nullptr;
    return json::value(core::time::FormatIsoLocal(*t, zone));
  };
  const auto date = [&]() -> json::value {
    if (!c.date) return nullptr;
    return json::value(core::commands::FormatDate(*c.date));
  };
  switch (c.type) {
    case CommandType::kCreateCalendarEvent:
      o["title"] = c.title;
      o["start"] = iso(c.start);
      o["end"] = iso(c.end);
      o["all_day"] = c.all_day;
      break;
    case CommandType::kCreateReminder:
      o["text"] = c.title;
      o["due"] = iso(c.start);
      break;
    case CommandType::kGetWeather:
      o["location"] = c.location.empty() ? json::value(nullptr) : json::value(c.location);
      o["date"] = date();
      break;
    case CommandType::kListCalendarEvents:
      o["date"] = date();
      o["days"] = c.days;
      break;
    case CommandType::kSummarizeInbox:
      o["count"] = c.count;
      o["unread_only"] = c.unread_only;
      o["important_only"] = c.important_only;
      break;
    case CommandType::kMorningBriefing:
      o["date"] = date();
      break;
    case CommandType::kHelp:
      break;
  }
  return o;
}

json::object ParseResultJson(const core::commands::ParseResult& r, const core::time::TimeZone& zone) {
  if (!r.parsed) {
    return {{"parsed", false},    {"command", nullptr},     {"confidence", 0.0}, {"requires_approval", false},
            {"reason", r.reason}, {"timezone", zone.name()}};
  }
  return {{"parsed", true},
          {"command", CommandJson(r.command, zone)},
          {"confidence", r.confidence},
          {"requires_approval", r.requires_approval},
          {"timezone", zone.name()}};
}

json::object WeatherJson(const core::weather::WeatherReport& r) {
  json::object o{{"location", r.location},
                 {"latitude", r.latitude},
                 {"longitude", r.longitude},
                 {"temperature_c", Round1(r.temperature_c)},
                 {"condition", r.condition},
                 {"weather_code", r.weather_code},
                 {"wind_speed_kmh", Round1(r.wind_speed_kmh)},
                 {"summary", core::weather::WeatherSummary(r)}};
  o["date"] = r.date ? json::value(core::commands::FormatDate(*r.date)) : json::value(nullptr);
  if (r.temperature_min_c) o["temperature_min_c"] = Round1(*r.temperature_min_c);
  return o;
}

json::object EventJson(const core::calendar::CalendarEvent& e, const core::time::TimeZone& zone) {
  return {{"id", e.id},
          {"time", e.all_day ? std::string("all day") : LocalClock(e.start, zone)},
          {"title", e.title},
          {"start", core::time::FormatIsoLocal(e.start, zone)},
          {"end", core::time::FormatIsoLocal(e.end, zone)},
          {"all_day", e.all_day},
          {"location", e.location}};
}

json::object InboxJson(const core::mail::InboxSummary& inbox) {
  json::array messages;
  for (const auto& m : inbox.latest) {
    messages.push_back(json::object{
        {"from", m.from}, {"subject", m.subject}, {"date", m.date}, {"unread", m.unread}, {"important", m.important}});
  }
  return {{"unread", inbox.unread},
          {"important", inbox.important},
          {"total", inbox.total},
          {"messages", std::move(messages)}};
}

http::ApiError FieldError(std::string_view field, std::string_view error) {
  auto e = http::MakeError(http::ErrorKind::kValidation, "Request validation failed");
  e.details["fields"] = json::array{json::object{{"field", field}, {"error", error}}};
  return e;
}

http::ApiError SourceError(const core::Error& error, std::string_view field) {
  switch (error.code()) {
    case core::ErrorCode::kUnavailable:
      if (error.reason() == core::Reason::kNotConfigured)
        return http::MakeError(http::ErrorKind::kUnavailable, error.safe_message());
      return http::MakeError(http::ErrorKind::kBadGateway, error.safe_message());
    case core::ErrorCode::kNotFound:
      return http::MakeError(http::ErrorKind::kNotFound, error.safe_message());
    case core::ErrorCode::kInvalidArgument:
      return FieldError(field, error.safe_message());
    case core::ErrorCode::kUnauthenticated:
    case core::ErrorCode::kPermissionDenied:
      return http::MakeError(http::ErrorKind::kBadGateway, error.safe_message());
    default:
      return http::FromCoreError(error);
  }
}

}  // namespace atrium::dialects::pisovereign
