#pragma once
// Long-term memories: short statements about a user (a fact, a preference, an event)
// that the assistant recalls in later conversations. Each belongs to one user and is
// invisible to every other. Saved by the user or extracted from a chat ("auto").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atrium::core::memory {

enum class MemoryType { kFact, kPreference, kEvent };
enum class MemoryOrigin { kManual, kAuto };

struct Memory {
  std::string id;
  std::string user_id;
  std::string content;
  MemoryType type = MemoryType::kFact;
  double importance = 0.5;        // 0-1
  std::vector<std::string> tags;  // lower-case, unique, in the order given
  std::optional<std::string> source;  // a conversation id, or what the client named
  MemoryOrigin origin = MemoryOrigin::kManual;
  std::int64_t access_count = 0;  // how often recall returned it
  std::optional<std::string> last_accessed;
  std::string created_at;
  std::string updated_at;
};

struct NewMemory {
  std::string content;
  MemoryType type = MemoryType::kFact;
  double importance = 0.5;
  std::vector<std::string> tags;
  std::optional<std::string> source;
  MemoryOrigin origin = MemoryOrigin::kManual;
};

// Fields to change; unset ones stay.
struct MemoryPatch {
  std::optional<std::string> content;
  std::optional<MemoryType> type;
  std::optional<double> importance;
  std::optional<std::vector<std::string>> tags;
};

// "fact", "preference", "event".
std::string_view TypeName(MemoryType type);
std::optional<MemoryType> TypeFromName(std::string_view name);
// "manual", "auto".
std::string_view OriginName(MemoryOrigin origin);
std::optional<MemoryOrigin> OriginFromName(std::string_view name);

}  // namespace atrium::core::memory
