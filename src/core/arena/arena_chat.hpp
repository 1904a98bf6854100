#pragma once
// The arena's streaming flow: one user message answered by every configuration of a
// session at once. It makes the session when none is named, stores the user's message,
// starts one streamed generation per configuration (each sees the session's user
// messages and its own earlier answers), stores each answer when it ends (a stopped
// one with what it had, marked "stopped"), and counts the tokens on the user.
//
// Unlike a chat turn, the user's message is stored before the answers: each answer
// succeeds or fails on its own, and a failed one stores nothing.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/arena/arena_service.hpp"
#include "core/assistants/assistant_config_service.hpp"
#include "core/chat/conversation_store.hpp"
#include "core/llm/generation.hpp"
#include "core/random.hpp"
#include "core/worker_pool.hpp"

namespace atrium::core::arena {

struct ArenaTurnOptions {
  std::string user_id;
  std::string session_id;               // empty: a new session of `config_ids`
  std::vector<std::string> config_ids;  // for a new session; ignored otherwise
  std::string title;                    // for a new session; empty: named after its configs
  std::string content;                  // the user's message
};

enum class ArenaEventType {
  kSessionCreated,  // session
  kUserMessage,     // session, message (stored)
  kStarted,         // config_id, message_id, model
  kDelta,           // config_id, message_id, delta
  kDone,            // config_id, message_id, message (stored; metadata has "stopped" when stopped)
  kError,           // config_id, message_id, error: nothing stored for this configuration
};

struct ArenaEvent {
  ArenaEventType type;
  const ArenaSession* session = nullptr;  // every event
  std::string config_id;
  std::string message_id;
  std::string model;
  std::string delta;
  const ArenaMessage* message = nullptr;
  std::optional<Error> error;
  bool last = false;  // kDone/kError: no other configuration is still answering
};

// Called one event at a time (never concurrently), in order per configuration; quick
// and non-blocking. kSessionCreated and kUserMessage come before Stream returns.
using ArenaSink = std::function<void(const ArenaEvent&)>;

class ArenaTurn {
 public:
  virtual ~ArenaTurn() = default;
  // Stops every answer still running; each stores what it had and reports kDone.
  virtual void Cancel() = 0;
  virtual const ArenaSession& session() const = 0;
  // True once every configuration reported kDone or kError.
  virtual bool finished() const = 0;
};

class ArenaChat {
 public:
  ArenaChat(ArenaService& sessions, assistants::AssistantConfigService& configs, chat::ConversationStore& usage,
            llm::Generator& generator, WorkerPool& background, Random& random);

  // Blocking (call it on a worker thread): checks, makes the session if needed, stores
  // the user's message, starts the answers and returns. An error here means no answer
  // started (kInvalidArgument for an empty message, kNotFound for another user's
  // session, kResourceExhausted at the user's token limit); events already sent stand.
  Result<std::shared_ptr<ArenaTurn>> Stream(const ArenaTurnOptions& options, ArenaSink sink);

 private:
  ArenaService& sessions_;
  assistants::AssistantConfigService& configs_;
  chat::ConversationStore& usage_;
  llm::Generator& generator_;
  WorkerPool& background_;
  Random& random_;
};

}  // namespace atrium::core::arena
