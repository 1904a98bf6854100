#pragma once
// A real-time event as the core emits it: a typed payload and the topics that should
// hear it. Each dialect formats the payloads it relays in its own wire shape (SSE
// names, Socket.IO events, WebSocket frames); the core carries no dialect names and no
// JSON-library types. The in-process bus shares one immutable Event among all its
// subscribers and never serialises it; a bus shared between instances uses
// event_codec.hpp.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/chat/chat_events.hpp"
#include "core/chat/turn_cancel_requested.hpp"
#include "core/events/opaque_json.hpp"
#include "core/identity/sessions_revoked.hpp"
#include "core/jobs/job_updated.hpp"
#include "core/logs/client_log_received.hpp"
#include "core/memory/memory_changed.hpp"

namespace atrium::core::events {

// Every payload the bus carries. A new event type is added here, to EventTypeName and
// to the codec (event_codec.cpp), whose round-trip test walks this list.
using Payload = std::variant<chat::MessageStarted, chat::MessageDelta, chat::MessageDone, chat::MessageError,
                             chat::ConversationTitle, chat::TurnCancelRequested, identity::SessionsRevoked,
                             logs::ClientLogReceived, jobs::JobUpdated, memory::MemoryChanged, OpaqueJson>;

struct Event {
  // Who should hear it: build names with the helpers in `topics` ("user:<id>", ...).
  // One publish reaches the subscribers of every topic listed, each subscription once
  // even when it follows several of them.
  std::vector<std::string> topics;
  Payload payload;
  // Assigned by the bus at publish, increasing by publish order within one bus (1 is
  // the first); whatever the publisher puts here is overwritten. Gaps are normal: a
  // subscription sees only its own topics' events.
  std::uint64_t sequence = 0;
  // Set by a bus shared between instances on an event that was published on another
  // instance; false for one published here. Publishers leave it false (a shared bus
  // clears it). Lets a dialect relay from elsewhere what it already sent itself locally.
  bool remote = false;

  // The payload when it is a T, else nullptr.
  template <class T>
  const T* As() const {
    return std::get_if<T>(&payload);
  }

  bool operator==(const Event&) const = default;
};

// What subscribers hold: one event, shared by every subscription that received it.
using EventPtr = std::shared_ptr<const Event>;

// The neutral, dotted name of a payload's type, for logs and the codec:
// "message.started", "message.delta", ...; an OpaqueJson's own type.
std::string_view EventTypeName(const Payload& payload);

// Topic names. Ids are the server's own (never client-chosen text), so they are used
// as they are.
namespace topics {

inline constexpr std::string_view kUserPrefix = "user:";
inline constexpr std::string_view kConversationPrefix = "conversation:";
inline constexpr std::string_view kArenaSessionPrefix = "arena_session:";
inline constexpr std::string_view kNetworkPrefix = "network:";
inline constexpr std::string_view kBroadcastPrefix = "broadcast:";
inline constexpr std::string_view kUserSessionsPrefix = "sessions:";
inline constexpr std::string_view kJobPrefix = "job:";

inline std::string Join(std::string_view prefix, std::string_view id) {
  std::string topic;
  topic.reserve(prefix.size() + id.size());
  topic.append(prefix).append(id);
  return topic;
}

// Everything one user should see on every device: "user:<id>".
inline std::string User(std::string_view user_id) { return Join(kUserPrefix, user_id); }
// The revocations of one user's sessions (identity::SessionsRevoked), followed by every
// long-lived connection of that user; never relayed to clients: "sessions:<id>".
inline std::string UserSessions(std::string_view user_id) { return Join(kUserSessionsPrefix, user_id); }
// Everyone watching one conversation: "conversation:<id>".
inline std::string Conversation(std::string_view conversation_id) { return Join(kConversationPrefix, conversation_id); }
// The participants of one arena session: "arena_session:<id>".
inline std::string ArenaSession(std::string_view session_id) { return Join(kArenaSessionPrefix, session_id); }
// The members of one network: "network:<id>".
inline std::string Network(std::string_view network_id) { return Join(kNetworkPrefix, network_id); }
// Everyone following one background job's progress (jobs::JobUpdated): "job:<id>".
inline std::string Job(std::string_view job_id) { return Join(kJobPrefix, job_id); }
// A named channel any client may follow: "broadcast:<name>".
inline std::string Broadcast(std::string_view name) { return Join(kBroadcastPrefix, name); }

}  // namespace topics

}  // namespace atrium::core::events
