#pragma once
// Runs the read-only commands (briefing, weather, calendar, emails) against the data
// sources configured in atrium.toml, and parses free text with the user's time zone and
// the injected clock. A source that is not configured is null here and answers
// kUnavailable with reason "not_configured" and a message naming the setting.
//
// Thread-safe when the sources are; every call may block on I/O, so call it from a
// worker thread.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar/calendar_store.hpp"
#include "core/clock.hpp"
#include "core/commands/command_parser.hpp"
#include "core/mail/mailbox.hpp"
#include "core/weather/weather_source.hpp"

namespace atrium::core::commands {

struct CommandSources {
  weather::WeatherSource* weather = nullptr;
  calendar::CalendarStore* calendar = nullptr;
  mail::Mailbox* mail = nullptr;
};

class CommandService {
 public:
  CommandService(CommandSources sources, const Clock& clock, std::string zoneinfo_dir = "/usr/share/zoneinfo")
      : sources_(sources), clock_(clock), zoneinfo_dir_(std::move(zoneinfo_dir)) {}

  // The named IANA zone (kInvalidArgument "unknown time zone" otherwise).
  Result<time::TimeZone> Zone(std::string_view name) const;
  // The user's local date now.
  std::chrono::year_month_day Today(const time::TimeZone& zone) const;
  time::Seconds Now() const;

  ParseResult Parse(std::string_view input, const time::TimeZone& zone) const;

  Result<weather::WeatherReport> Weather(const std::string& location,
                                         std::optional<std::chrono::year_month_day> date) const;
  // Events overlapping the `days` local days from `from` in `zone`.
  Result<std::vector<calendar::CalendarEvent>> Calendar(const std::string& user_id, std::chrono::year_month_day from,
                                                        int days, const time::TimeZone& zone) const;
  Result<mail::InboxSummary> Emails(int count) const;

  bool weather_configured() const { return sources_.weather != nullptr; }
  bool calendar_configured() const { return sources_.calendar != nullptr; }
  bool mail_configured() const { return sources_.mail != nullptr; }

 private:
  CommandSources sources_;
  const Clock& clock_;
  std::string zoneinfo_dir_;
};

}  // namespace atrium::core::commands
