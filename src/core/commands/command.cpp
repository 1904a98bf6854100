#include "core/commands/command.hpp"

#include <cstdio>

namespace atrium::core::commands {

std::string_view CommandTypeName(CommandType type) {
  switch (type) {
    case CommandType::kMorningBriefing:
      return "MorningBriefing";
    case CommandType::kGetWeather:
      return "GetWeather";
    case CommandType::kListCalendarEvents:
      return "ListCalendarEvents";
    case CommandType::kSummarizeInbox:
      return "SummarizeInbox";
    case CommandType::kCreateCalendarEvent:
      return "CreateCalendarEvent";
    case CommandType::kCreateReminder:
      return "CreateReminder";
    case CommandType::kHelp:
      return "Help";
  }
  return "Help";
}

bool ChangesState(CommandType type) {
  return type == CommandType::kCreateCalendarEvent || type == CommandType::kCreateReminder;
}

std::string FormatDate(std::chrono::year_month_day date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()), unsigned(date.day()));
  return buf;
}

}  // namespace atrium::core::commands
