#pragma once
// One event of Atrium's own calendar, in UTC seconds.

#include <string>

#include "core/time/time_zone.hpp"

namespace atrium::core::calendar {

struct CalendarEvent {
  std::string id;
  std::string user_id;
  std::string title;
  time::Seconds start;
  time::Seconds end;
  bool all_day = false;
  std::string location;
  std::string description;
};

}  // namespace atrium::core::calendar
