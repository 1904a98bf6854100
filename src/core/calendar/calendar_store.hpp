#pragma once
// Atrium's own calendar: events per user, in UTC seconds, in the database. The
// pisovereign commands read it; mira's calendar will share it.
//
// Thread-safe (the database is); calls block, so run them on a worker.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "core/calendar/calendar_event.hpp"
#include "core/calendar/calendar_repository.hpp"
#include "core/persistence/repositories.hpp"
#include "core/time/time_zone.hpp"

namespace atrium::core::calendar {

struct NewEvent {
  std::string title;
  time::Seconds start;
  time::Seconds end;
  bool all_day = false;
  std::string location;
  std::string description;
};

class CalendarStore {
 public:
  CalendarStore(const persistence::Repositories& repos, const Clock& clock, Random& random)
      : events_(repos.calendar), clock_(clock), random_(random) {}

  // kInvalidArgument for an empty title or an end before the start; kNotFound when the
  // user does not exist.
  Result<CalendarEvent> Add(const std::string& user_id, const NewEvent& event);
  // The user's events that overlap [from, to), by start time.
  Result<std::vector<CalendarEvent>> Between(const std::string& user_id, time::Seconds from, time::Seconds to);
  // A cheap query proving the store answers (for /ready/all).
  Result<void> Ping();

 private:
  CalendarRepository& events_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace atrium::core::calendar
