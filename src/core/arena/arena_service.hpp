#pragma once
// Stores arena sessions and their messages, owned by their user: another user's session
// is kNotFound, like a missing one. The configurations a session compares must be ones
// the user can see (own, public or template), checked when the session is made.
//
// Thread-safety: every method may be called from several threads. All block.

#include <string>
#include <vector>

#include "core/arena/arena.hpp"
#include "core/arena/arena_repository.hpp"
#include "core/assistants/assistant_config_service.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "core/persistence/repositories.hpp"

namespace atrium::core::arena {

struct SessionDetail {
  ArenaSession session;
  std::vector<ArenaMessage> messages;                // oldest first
  std::vector<assistants::AssistantConfig> configs;  // those still visible, in session order
};

class ArenaService {
 public:
  ArenaService(const persistence::Repositories& repos, assistants::AssistantConfigService& configs, const Clock& clock, Random& random);

  // kInvalidArgument for fewer than 2 or more than 4 distinct configs or a long title;
  // kNotFound ("Config not found") when one is not visible to the user. An empty title
  // becomes "Arena: <first config name> vs <second> ...".
  Result<ArenaSession> Create(const std::string& user_id, const std::vector<std::string>& config_ids,
                              const std::string& title);
  // Newest first.
  Result<SessionPage> List(const std::string& user_id, std::int64_t limit, std::int64_t offset);
  Result<ArenaSession> Get(const std::string& user_id, const std::string& id);
  Result<SessionDetail> Detail(const std::string& user_id, const std::string& id);
  // Removes the session and its messages.
  Result<void> Delete(const std::string& user_id, const std::string& id);

  // Appends a message to the user's session and counts it (for the streaming flow). An
  // empty id gets a new one; a given one (announced while streaming) is kept.
  Result<ArenaMessage> Append(const std::string& user_id, ArenaMessage message);

 private:
  persistence::Transactions& transactions_;
  ArenaRepository& arena_;
  assistants::AssistantConfigService& configs_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace atrium::core::arena
