#include "core/calendar/calendar_store.hpp"

namespace atrium::core::calendar {

namespace {

std::int64_t Epoch(time::Seconds t) { return t.time_since_epoch().count(); }

}  // namespace

Result<CalendarEvent> CalendarStore::Add(const std::string& user_id, const NewEvent& e) {
  if (e.title.empty()) return Error(ErrorCode::kInvalidArgument, "title cannot be empty");
  if (e.end < e.start) return Error(ErrorCode::kInvalidArgument, "end is before start");
  CalendarEvent out{NewUuid(random_), user_id, e.title, e.start, e.end, e.all_day, e.location, e.description};
  // Inserts nothing for an unknown user (the foreign key's failure would be an internal error).
  auto written = db_.Execute(
      "INSERT INTO calendar_events (id, user_id, title, starts_at, ends_at, all_day, location, description, "
      "created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?)",
      {out.id, user_id, e.title, Epoch(e.start), Epoch(e.end), std::int64_t{e.all_day ? 1 : 0}, e.location,
       e.description, FormatRfc3339(clock_.Now()), user_id});
  if (!written) return written.error();
  if (*written == 0) return Error(ErrorCode::kNotFound, "no such user");
  return out;
}

Result<std::vector<CalendarEvent>> CalendarStore::Between(const std::string& user_id, time::Seconds from,
                                                          time::Seconds to) {
  auto rows = db_.Query(
      "SELECT id, title, starts_at, ends_at, all_day, location, description FROM calendar_events"
      " WHERE user_id = ? AND starts_at < ? AND (ends_at > ? OR (ends_at = starts_at AND starts_at >= ?))"
      " ORDER BY starts_at, title",
      {user_id, Epoch(to), Epoch(from), Epoch(from)});
  if (!rows) return rows.error();
  std::vector<CalendarEvent> out;
  for (const auto& r : rows->rows) {
    CalendarEvent e;
    e.id = storage::AsText(r[0]).value_or("");
    e.user_id = user_id;
    e.title = storage::AsText(r[1]).value_or("");
    e.start = time::Seconds(std::chrono::seconds(storage::AsInt(r[2]).value_or(0)));
    e.end = time::Seconds(std::chrono::seconds(storage::AsInt(r[3]).value_or(0)));
    e.all_day = storage::AsInt(r[4]).value_or(0) != 0;
    e.location = storage::AsText(r[5]).value_or("");
    e.description = storage::AsText(r[6]).value_or("");
    out.push_back(std::move(e));
  }
  return out;
}

Result<void> CalendarStore::Ping() {
  auto rows = db_.Query("SELECT 1 FROM calendar_events LIMIT 1");
  if (!rows) return rows.error();
  return Ok{};
}

}  // namespace atrium::core::calendar
