#pragma once
// SQL for devices, sessions and refresh tokens. A session is one login; its refresh
// tokens form one family (rotated on every use, revoked together).

#include <optional>
#include <string>
#include <vector>

#include "core/identity/user.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace atrium::core::identity {

struct RefreshRecord {
  std::string session_id;
  std::string user_id;
  std::int64_t family_expires_at = 0;  // seconds since the epoch
  bool used = false;
  bool revoked = false;  // the token or its session was revoked
};

class SessionStore {
 public:
  explicit SessionStore(storage::Database& db) : db_(db) {}

  // Finds the user's device with this fingerprint, updating its details and last-seen
  // time, or creates it with `new_id`.
  Result<Device> UpsertDevice(storage::Executor& tx, const std::string& user_id, const DeviceInfo& info,
                              const std::string& new_id, const std::string& now);
  Result<void> InsertSession(storage::Executor& tx, const Session& s);
  Result<void> InsertRefresh(storage::Executor& tx, const std::string& token_hash, const std::string& session_id,
                             const std::string& user_id, std::int64_t issued_at, std::int64_t family_expires_at);
  Result<std::optional<RefreshRecord>> FindRefresh(storage::Executor& tx, const std::string& token_hash);
  // Marks the token used; false when another request used it first.
  Result<bool> MarkRefreshUsed(storage::Executor& tx, const std::string& token_hash, std::int64_t now);
  Result<void> TouchSession(storage::Executor& tx, const std::string& session_id, const std::string& now);

  // Revocations return how many sessions they revoked (RevokeDeviceSessions: which).
  Result<std::int64_t> RevokeSession(storage::Executor& tx, const std::string& user_id, const std::string& session_id,
                                     const std::string& now);
  Result<std::int64_t> RevokeAllSessions(storage::Executor& tx, const std::string& user_id,
                                         const std::optional<std::string>& except_session, const std::string& now);
  // Returns the ids of the sessions it revoked.
  Result<std::vector<std::string>> RevokeDeviceSessions(storage::Executor& tx, const std::string& user_id,
                                                        const std::string& device_id, const std::string& now);
  Result<bool> DeleteDevice(storage::Executor& tx, const std::string& user_id, const std::string& device_id);

  // (revoked, user status, role) of a live session, or nullopt when it does not exist.
  struct SessionState {
    bool revoked = false;
    UserStatus status = UserStatus::kActive;
    Role role = Role::kUser;
  };
  Result<std::optional<SessionState>> State(const std::string& user_id, const std::string& session_id);

  Result<std::vector<Device>> Devices(const std::string& user_id);
  Result<std::vector<Session>> ActiveSessions(const std::string& user_id);

 private:
  storage::Database& db_;
};

}  // namespace atrium::core::identity
