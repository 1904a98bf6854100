#pragma once
// The calendar aggregate: users' events, in UTC seconds. Blocking; thread-safe.
// Isolation: kReadCommitted (single statements).

#include <vector>

#include "core/calendar/calendar_event.hpp"
#include "core/result.hpp"

namespace atrium::core::calendar {

class CalendarRepository {
 public:
  virtual ~CalendarRepository() = default;
  // Stores the event; false (nothing stored) when its user does not exist, decided by
  // the same statement. `created_at` is RFC 3339.
  virtual Result<bool> Insert(const CalendarEvent& event, const std::string& created_at) = 0;
  // The user's events with start < to and (end > from, or a zero-length event starting
  // at or after from), by start time, then title.
  virtual Result<std::vector<CalendarEvent>> Between(const std::string& user_id, time::Seconds from,
                                                     time::Seconds to) = 0;
  // A cheap query proving the events can be read.
  virtual Result<void> Ping() = 0;
};

}  // namespace atrium::core::calendar
