#include "core/calendar/calendar_store.hpp"

namespace atrium::core::calendar {

Result<CalendarEvent> CalendarStore::Add(const std::string& user_id, const NewEvent& e) {
  if (e.title.empty()) return Error(ErrorCode::kInvalidArgument, "title cannot be empty");
  if (e.end < e.start) return Error(ErrorCode::kInvalidArgument, "end is before start");
  CalendarEvent out{NewUuid(random_), user_id, e.title, e.start, e.end, e.all_day, e.location, e.description};
  auto written = events_.Insert(out, FormatRfc3339(clock_.Now()));
  if (!written) return written.error();
  if (!*written) return Error(ErrorCode::kNotFound, "no such user");
  return out;
}

Result<std::vector<CalendarEvent>> CalendarStore::Between(const std::string& user_id, time::Seconds from,
                                                          time::Seconds to) {
  return events_.Between(user_id, from, to);
}

Result<void> CalendarStore::Ping() { return events_.Ping(); }

}  // namespace atrium::core::calendar
