#include "dialects/pisovereign/command_text.hpp"

#include "core/commands/command_service.hpp"
#include "core/identity/identity_service.hpp"
#include "core/messaging/responder.hpp"

#include <cstdio>

namespace atrium::dialects::pisovereign {

namespace {

using core::commands::CommandType;

std::string Clock(core::time::Seconds t, const core::time::TimeZone& zone) {
  const auto local = zone.ToLocal(t);
  const std::chrono::hh_mm_ss hms{local - std::chrono::floor<std::chrono::days>(local)};
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return buf;
}

std::string Events(const core::Result<std::vector<core::calendar::CalendarEvent>>& events,
                   const core::time::TimeZone& zone) {
  if (!events) return "unavailable (" + events.error().safe_message() + ")";
  if (events->empty()) return "no events";
  std::string out;
  for (const auto& e : *events) {
    if (!out.empty()) out += "; ";
    out += (e.all_day ? std::string("all day") : Clock(e.start, zone)) + " " + e.title;
  }
  return out;
}

std::string Inbox(const core::Result<core::mail::InboxSummary>& inbox, bool list) {
  if (!inbox) return "unavailable (" + inbox.error().safe_message() + ")";
  std::string out = std::to_string(inbox->unread) + " unread, " + std::to_string(inbox->important) + " important";
  if (list) {
    for (const auto& m : inbox->latest) out += "\n- " + m.from + ": " + m.subject;
  }
  return out;
}

std::string Weather(const core::Result<core::weather::WeatherReport>& w) {
  if (!w) return "unavailable (" + w.error().safe_message() + ")";
  return w->location + ": " + core::weather::WeatherSummary(*w);
}

core::time::TimeZone ZoneOf(const Deps& services, const std::string& user_id) {
  if (auto user = services.identity.GetUser(user_id)) {
    if (auto zone = services.commands.Zone(user->timezone)) return std::move(*zone);
  }
  return core::time::TimeZone::Utc();
}

}  // namespace

std::string AnswerText(const Deps& services, const std::string& user_id, const std::string& sender,
                       const std::string& text) {
  const auto zone = ZoneOf(services, user_id);
  const auto parsed = services.commands.Parse(text, zone);
  if (parsed.parsed) {
    const auto& c = parsed.command;
    auto& commands = services.commands;
    switch (c.type) {
      case CommandType::kHelp:
        return "Commands: briefing, weather [in <place>], calendar [for <day>], emails, help. "
               "Anything else goes to the assistant.";
      case CommandType::kGetWeather:
        return "Weather " + Weather(commands.Weather(c.location, c.date));
      case CommandType::kListCalendarEvents: {
        const auto from = c.date ? *c.date : commands.Today(zone);
        return "Calendar " + core::commands::FormatDate(from) +
               (c.days > 1 ? " (+" + std::to_string(c.days - 1) + " days)" : std::string()) + ": " +
               Events(commands.Calendar(user_id, from, c.days, zone), zone);
      }
      case CommandType::kSummarizeInbox:
        return "Email: " + Inbox(commands.Emails(c.count), true);
      case CommandType::kMorningBriefing: {
        const auto today = c.date ? *c.date : commands.Today(zone);
        return "Briefing for " + core::commands::FormatDate(today) +
               "\nWeather: " + Weather(commands.Weather("", std::nullopt)) +
               "\nCalendar: " + Events(commands.Calendar(user_id, today, 1, zone), zone) +
               "\nEmail: " + Inbox(commands.Emails(0), false);
      }
      case CommandType::kCreateCalendarEvent:
        return "Needs your approval (nothing was created): event \"" + c.title + "\" from " +
               core::time::FormatIsoLocal(*c.start, zone) + " to " + core::time::FormatIsoLocal(*c.end, zone) + ".";
      case CommandType::kCreateReminder:
        return "Needs your approval (nothing was created): reminder \"" + c.title + "\" at " +
               core::time::FormatIsoLocal(*c.start, zone) + ".";
    }
  }
  auto answer = services.responder.Reply({"whatsapp", sender, user_id, text});
  if (answer) return std::move(*answer);
  return kLlmUnavailableReply;
}

}  // namespace atrium::dialects::pisovereign
