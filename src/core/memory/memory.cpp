#include "core/memory/memory.hpp"

namespace atrium::core::memory {

std::string_view TypeName(MemoryType type) {
  switch (type) {
    case MemoryType::kFact:
      return "fact";
    case MemoryType::kPreference:
      return "preference";
    case MemoryType::kEvent:
      return "event";
  }
  return "fact";
}

std::optional<MemoryType> TypeFromName(std::string_view name) {
  for (const auto t : {MemoryType::kFact, MemoryType::kPreference, MemoryType::kEvent}) {
    if (TypeName(t) == name) return t;
  }
  return std::nullopt;
}

std::string_view OriginName(MemoryOrigin origin) {
  switch (origin) {
    case MemoryOrigin::kManual:
      return "manual";
    case MemoryOrigin::kAuto:
      return "auto";
  }
  return "manual";
}

std::optional<MemoryOrigin> OriginFromName(std::string_view name) {
  if (name == "manual") return MemoryOrigin::kManual;
  if (name == "auto") return MemoryOrigin::kAuto;
  return std::nullopt;
}

}  // namespace atrium::core::memory
