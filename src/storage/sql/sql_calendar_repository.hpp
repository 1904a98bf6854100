#pragma once
// CalendarRepository in portable SQL (table calendar_events).

#include "core/calendar/calendar_repository.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class SqlCalendarRepository final : public core::calendar::CalendarRepository {
 public:
  explicit SqlCalendarRepository(Database& db) : db_(db) {}

  core::Result<bool> Insert(const core::calendar::CalendarEvent& event, const std::string& created_at) override;
  core::Result<std::vector<core::calendar::CalendarEvent>> Between(const std::string& user_id, core::time::Seconds from,
                                                                   core::time::Seconds to) override;
  core::Result<void> Ping() override;

 private:
  Database& db_;
};

}  // namespace atrium::storage::sql
