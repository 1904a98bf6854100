#pragma once
// ArenaRepository in portable SQL (tables arena_sessions, arena_messages).

#include "core/arena/arena_repository.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class SqlArenaRepository final : public core::arena::ArenaRepository {
 public:
  explicit SqlArenaRepository(Database& db) : db_(db) {}

  core::Result<void> InsertSession(const core::arena::ArenaSession& session) override;
  core::Result<core::arena::SessionPage> ListSessions(const std::string& user_id, std::int64_t limit,
                                                      std::int64_t offset) override;
  core::Result<std::optional<core::arena::ArenaSession>> FindSession(const std::string& user_id,
                                                                     const std::string& id) override;
  core::Result<std::vector<core::arena::ArenaMessage>> Messages(const std::string& session_id) override;
  core::Result<bool> DeleteSession(const std::string& user_id, const std::string& id) override;
  core::Result<bool> AppendMessage(core::persistence::UnitOfWork& uow, const std::string& user_id,
                                   const core::arena::ArenaMessage& message) override;

 private:
  Database& db_;
};

}  // namespace atrium::storage::sql
