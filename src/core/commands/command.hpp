#pragma once
// A typed command, as the parser reads it from everyday English and as the command
// service runs it. Neutral: dialects give it their wire names and shapes.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/time/time_zone.hpp"

namespace atrium::core::commands {

enum class CommandType {
  kMorningBriefing,      // weather, today's events and the inbox at once
  kGetWeather,           // current weather (or a day's forecast) for a place
  kListCalendarEvents,   // events from `date` for `days` days
  kSummarizeInbox,       // unread and important counts, the latest `count` messages
  kCreateCalendarEvent,  // changes state: needs approval
  kCreateReminder,       // changes state: needs approval
  kHelp,
};

// "MorningBriefing", "GetWeather", ... (the names the pisovereign spec shows).
std::string_view CommandTypeName(CommandType type);
bool ChangesState(CommandType type);

struct Command {
  CommandType type = CommandType::kHelp;
  std::string title;                   // event title, or what a reminder is about
  std::string location;                // weather place; empty: the configured default
  std::optional<time::Seconds> start;  // event start, reminder due time
  std::optional<time::Seconds> end;    // event end
  bool all_day = false;
  std::optional<std::chrono::year_month_day> date;  // the day asked about
  int days = 1;                                     // calendar: days from `date`
  int count = 10;                                   // emails: latest messages to list
  bool unread_only = false;
  bool important_only = false;
};

// "2026-02-08".
std::string FormatDate(std::chrono::year_month_day date);

}  // namespace atrium::core::commands
