#pragma once
// Arena sessions: one user prompt answered side by side by 2-4 assistant
// configurations, kept as a session with its messages (the user's, and one assistant
// answer per configuration and turn).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace atrium::core::arena {

inline constexpr std::size_t kMinConfigs = 2;
inline constexpr std::size_t kMaxConfigs = 4;
inline constexpr std::size_t kMaxTitleChars = 200;

struct ArenaSession {
  std::string id;
  std::string user_id;
  std::vector<std::string> config_ids;  // in the order the user gave them
  std::string title;
  std::int64_t message_count = 0;
  std::string created_at;
  std::string updated_at;
};

struct ArenaMessage {
  std::string id;
  std::string session_id;
  std::string role;       // "user" or "assistant"
  std::string config_id;  // the answering configuration; empty for the user's
  std::string content;
  std::string metadata_json = "{}";  // model, tokens, generation time, cost, stopped
  std::string created_at;
};

}  // namespace atrium::core::arena
