#pragma once
// SessionRepository in portable SQL (tables devices, sessions, refresh_tokens).

#include "core/identity/session_repository.hpp"
#include "storage/database.hpp"
#include "storage/sql/sql_flavor.hpp"

namespace atrium::storage::sql {

class SqlSessionRepository final : public core::identity::SessionRepository {
 public:
  SqlSessionRepository(Database& db, SqlFlavor flavor) : db_(db), flavor_(std::move(flavor)) {}

  core::Result<core::identity::Device> UpsertDevice(core::persistence::UnitOfWork& uow, const std::string& user_id,
                                                    const core::identity::DeviceInfo& info, const std::string& new_id,
                                                    const std::string& now) override;
  core::Result<void> InsertSession(core::persistence::UnitOfWork& uow, const core::identity::Session& s) override;
  core::Result<void> InsertRefresh(core::persistence::UnitOfWork& uow, const std::string& token_hash,
                                   const std::string& session_id, const std::string& user_id, std::int64_t issued_at,
                                   std::int64_t family_expires_at) override;
  core::Result<std::optional<core::identity::RefreshRecord>> FindRefresh(core::persistence::UnitOfWork& uow,
                                                                         const std::string& token_hash) override;
  core::Result<bool> MarkRefreshUsed(core::persistence::UnitOfWork& uow, const std::string& token_hash,
                                     std::int64_t now) override;
  core::Result<void> TouchSession(core::persistence::UnitOfWork& uow, const std::string& session_id,
                                  const std::string& now) override;
  core::Result<std::int64_t> RevokeSession(core::persistence::UnitOfWork& uow, const std::string& user_id,
                                           const std::string& session_id, const std::string& now) override;
  core::Result<std::int64_t> RevokeAllSessions(core::persistence::UnitOfWork& uow, const std::string& user_id,
                                               const std::optional<std::string>& except_session,
                                               const std::string& now) override;
  core::Result<std::vector<std::string>> RevokeDeviceSessions(core::persistence::UnitOfWork& uow,
                                                              const std::string& user_id, const std::string& device_id,
                                                              const std::string& now) override;
  core::Result<bool> DeleteDevice(core::persistence::UnitOfWork& uow, const std::string& user_id,
                                  const std::string& device_id) override;
  core::Result<std::optional<SessionState>> State(const std::string& user_id, const std::string& session_id) override;
  core::Result<std::vector<core::identity::Device>> Devices(const std::string& user_id) override;
  core::Result<std::vector<core::identity::Session>> ActiveSessions(const std::string& user_id) override;

 private:
  Database& db_;
  SqlFlavor flavor_;
};

}  // namespace atrium::storage::sql
