#pragma once
// A real-time event as the core emits it: neutral names, a JSON payload as text. Each
// dialect maps these to its own wire events (SSE names, WebSocket frames); the core
// carries no dialect names and no JSON-library types in its interfaces.

#include <cstdint>
#include <string>
#include <string_view>

namespace atrium::core::events {

struct Event {
  // Who should hear it: build with the helpers in `topics` ("user:<id>", ...).
  std::string topic;
  // A neutral, dotted name: "message.started", "message.delta", "message.done".
  std::string type;
  // One JSON value as text (usually an object). The bus neither parses nor checks it.
  std::string payload_json;
  // Assigned by the bus at publish, increasing by publish order within one bus (1 is
  // the first); whatever the publisher puts here is overwritten. Gaps are normal: a
  // subscription sees only its own topics' events.
  std::uint64_t sequence = 0;

  bool operator==(const Event&) const = default;
};

// Topic names. Ids are the server's own (never client-chosen text), so they are used
// as they are.
namespace topics {

inline constexpr std::string_view kUserPrefix = "user:";
inline constexpr std::string_view kConversationPrefix = "conversation:";
inline constexpr std::string_view kArenaSessionPrefix = "arena_session:";
inline constexpr std::string_view kNetworkPrefix = "network:";
inline constexpr std::string_view kBroadcastPrefix = "broadcast:";
inline constexpr std::string_view kUserSessionsPrefix = "sessions:";

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
// A named channel any client may follow: "broadcast:<name>".
inline std::string Broadcast(std::string_view name) { return Join(kBroadcastPrefix, name); }

}  // namespace topics

}  // namespace atrium::core::events
