#include "core/commands/command_service.hpp"

namespace atrium::core::commands {

namespace {

Error NotConfigured(const char* what, const char* setting) {
  return Error(ErrorCode::kUnavailable, std::string(what) + " is not configured (set " + setting + " in atrium.toml)")
      .WithReason(Reason::kNotConfigured);
}

}  // namespace

Result<time::TimeZone> CommandService::Zone(std::string_view name) const {
  return time::TimeZone::Load(name, zoneinfo_dir_);
}

time::Seconds CommandService::Now() const { return std::chrono::floor<std::chrono::seconds>(clock_.Now()); }

std::chrono::year_month_day CommandService::Today(const time::TimeZone& zone) const {
  const auto local = std::chrono::floor<std::chrono::days>(zone.ToLocal(Now()));
  return std::chrono::year_month_day{std::chrono::sys_days(local.time_since_epoch())};
}

ParseResult CommandService::Parse(std::string_view input, const time::TimeZone& zone) const {
  return ParseCommand(input, Now(), zone);
}

Result<weather::WeatherReport> CommandService::Weather(const std::string& location,
                                                       std::optional<std::chrono::year_month_day> date) const {
  if (!sources_.weather) return NotConfigured("weather", "[weather] forecast_url and geocoding_url");
  return sources_.weather->Report(location, date);
}

Result<std::vector<calendar::CalendarEvent>> CommandService::Calendar(const std::string& user_id,
                                                                      std::chrono::year_month_day from, int days,
                                                                      const time::TimeZone& zone) const {
  if (!sources_.calendar) return NotConfigured("calendar", "[calendar] enabled");
  const auto start = std::chrono::local_days(std::chrono::sys_days(from).time_since_epoch());
  const auto begin = zone.ToUtc(std::chrono::local_seconds(start));
  const auto end = zone.ToUtc(std::chrono::local_seconds(start + std::chrono::days(days)));
  return sources_.calendar->Between(user_id, begin, end);
}

Result<mail::InboxSummary> CommandService::Emails(int count) const {
  if (!sources_.mail) return NotConfigured("email", "[email] imap_url");
  return sources_.mail->Summarize(count);
}

}  // namespace atrium::core::commands
