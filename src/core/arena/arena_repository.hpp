#pragma once
// The arena aggregate: sessions comparing configs and their messages, owned by their
// user. Blocking; thread-safe. Isolation: kReadCommitted; AppendMessage counts the
// message with a relative update of its session in the same unit.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/arena/arena.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "core/result.hpp"

namespace atrium::core::arena {

struct SessionPage {
  std::vector<ArenaSession> sessions;
  std::int64_t total = 0;
};

class ArenaRepository {
 public:
  virtual ~ArenaRepository() = default;
  // Stores the session with message_count 0.
  virtual Result<void> InsertSession(const ArenaSession& session) = 0;
  // The user's sessions, most recently updated first (ties: most recently created first).
  virtual Result<SessionPage> ListSessions(const std::string& user_id, std::int64_t limit, std::int64_t offset) = 0;
  virtual Result<std::optional<ArenaSession>> FindSession(const std::string& user_id, const std::string& id) = 0;
  // The session's messages, oldest first.
  virtual Result<std::vector<ArenaMessage>> Messages(const std::string& session_id) = 0;
  // Removes the session and its messages; false when the user has no such session.
  virtual Result<bool> DeleteSession(const std::string& user_id, const std::string& id) = 0;
  // Stores the message and counts it in its session (updated_at = the message's
  // created_at); false (nothing stored) when the user has no such session.
  virtual Result<bool> AppendMessage(persistence::UnitOfWork& uow, const std::string& user_id,
                                     const ArenaMessage& message) = 0;
};

}  // namespace atrium::core::arena
