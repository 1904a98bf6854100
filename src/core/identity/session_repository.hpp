#pragma once
// The sessions aggregate: devices, sessions and refresh tokens. A session is one
// login; its refresh tokens form one family (rotated on every use, revoked together).
// Blocking; thread-safe.
//
// Isolation: kReadCommitted suffices. Every write that decides a race is one
// conditional statement whose result says who won: MarkRefreshUsed (only while unused),
// the revocations (only while not revoked), UpsertDevice (one row per fingerprint).

#include <optional>
#include <string>
#include <vector>

#include "core/identity/user.hpp"
#include "core/result.hpp"
#include "core/persistence/unit_of_work.hpp"

namespace atrium::core::identity {

struct RefreshRecord {
  std::string session_id;
  std::string user_id;
  std::int64_t family_expires_at = 0;  // seconds since the epoch
  bool used = false;
  bool revoked = false;  // the token or its session was revoked
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;

  // Finds the user's device with this fingerprint, updating its details and last-seen
  // time, or creates it with `new_id`.
  virtual Result<Device> UpsertDevice(persistence::UnitOfWork& uow, const std::string& user_id, const DeviceInfo& info,
                              const std::string& new_id, const std::string& now) = 0;
  virtual Result<void> InsertSession(persistence::UnitOfWork& uow, const Session& s) = 0;
  virtual Result<void> InsertRefresh(persistence::UnitOfWork& uow, const std::string& token_hash, const std::string& session_id,
                             const std::string& user_id, std::int64_t issued_at, std::int64_t family_expires_at) = 0;
  // Locks the token (and its session) until the unit ends: concurrent refreshes of one
  // token take turns, each seeing what the one before did.
  virtual Result<std::optional<RefreshRecord>> FindRefresh(persistence::UnitOfWork& uow, const std::string& token_hash) = 0;
  // Marks the token used; false when another request used it first.
  virtual Result<bool> MarkRefreshUsed(persistence::UnitOfWork& uow, const std::string& token_hash, std::int64_t now) = 0;
  virtual Result<void> TouchSession(persistence::UnitOfWork& uow, const std::string& session_id, const std::string& now) = 0;

  // Revocations return how many sessions they revoked (RevokeDeviceSessions: which).
  virtual Result<std::int64_t> RevokeSession(persistence::UnitOfWork& uow, const std::string& user_id, const std::string& session_id,
                                     const std::string& now) = 0;
  virtual Result<std::int64_t> RevokeAllSessions(persistence::UnitOfWork& uow, const std::string& user_id,
                                         const std::optional<std::string>& except_session, const std::string& now) = 0;
  // Returns the ids of the sessions it revoked.
  virtual Result<std::vector<std::string>> RevokeDeviceSessions(persistence::UnitOfWork& uow, const std::string& user_id,
                                                        const std::string& device_id, const std::string& now) = 0;
  virtual Result<bool> DeleteDevice(persistence::UnitOfWork& uow, const std::string& user_id, const std::string& device_id) = 0;

  // (revoked, user status, role) of a live session, or nullopt when it does not exist.
  struct SessionState {
    bool revoked = false;
    UserStatus status = UserStatus::kActive;
    Role role = Role::kUser;
  };
  virtual Result<std::optional<SessionState>> State(const std::string& user_id, const std::string& session_id) = 0;

  virtual Result<std::vector<Device>> Devices(const std::string& user_id) = 0;
  virtual Result<std::vector<Session>> ActiveSessions(const std::string& user_id) = 0;
};

}  // namespace atrium::core::identity
