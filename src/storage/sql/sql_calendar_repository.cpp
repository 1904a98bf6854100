#include "storage/sql/sql_calendar_repository.hpp"

#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace {

std::int64_t Epoch(core::time::Seconds t) { return t.time_since_epoch().count(); }
core::time::Seconds FromEpoch(std::int64_t s) { return core::time::Seconds(std::chrono::seconds(s)); }

}  // namespace

core::Result<bool> SqlCalendarRepository::Insert(const core::calendar::CalendarEvent& e,
                                                 const std::string& created_at) {
  auto written = db_.Execute(
      "INSERT INTO calendar_events (id, user_id, title, starts_at, ends_at, all_day, location, description, "
      "created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?)",
      {e.id, e.user_id, e.title, Epoch(e.start), Epoch(e.end), Bool(e.all_day), e.location, e.description, created_at,
       e.user_id});
  if (!written) return written.error();
  return *written == 1;
}

core::Result<std::vector<core::calendar::CalendarEvent>> SqlCalendarRepository::Between(const std::string& user_id,
                                                                                        core::time::Seconds from,
                                                                                        core::time::Seconds to) {
  auto rows = db_.Query(
      "SELECT id, title, starts_at, ends_at, all_day, location, description FROM calendar_events"
      " WHERE user_id = ? AND starts_at < ? AND (ends_at > ? OR (ends_at = starts_at AND starts_at >= ?))"
      " ORDER BY starts_at, title",
      {user_id, Epoch(to), Epoch(from), Epoch(from)});
  if (!rows) return rows.error();
  std::vector<core::calendar::CalendarEvent> out;
  for (const auto& r : rows->rows) {
    core::calendar::CalendarEvent e;
    e.id = Text(r[0]);
    e.user_id = user_id;
    e.title = Text(r[1]);
    e.start = FromEpoch(Int(r[2]));
    e.end = FromEpoch(Int(r[3]));
    e.all_day = AsBool(r[4]);
    e.location = Text(r[5]);
    e.description = Text(r[6]);
    out.push_back(std::move(e));
  }
  return out;
}

core::Result<void> SqlCalendarRepository::Ping() {
  auto rows = db_.Query("SELECT 1 FROM calendar_events LIMIT 1");
  if (!rows) return rows.error();
  return core::Ok{};
}

}  // namespace atrium::storage::sql
