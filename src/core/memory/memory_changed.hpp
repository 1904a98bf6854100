#pragma once
// A memory was saved, changed or deleted ("memory.changed"), by the user or by the
// automatic extraction after a chat turn. Published on topics::User(user_id) so every
// device of the user can refresh what it shows.

#include <string>

#include "core/memory/memory.hpp"

namespace atrium::core::memory {

enum class MemoryChange { kCreated, kUpdated, kDeleted };

struct MemoryChanged {
  std::string user_id;
  std::string memory_id;
  MemoryChange change = MemoryChange::kCreated;
  MemoryOrigin origin = MemoryOrigin::kManual;  // who made the change
  std::string content;                          // after the change; empty when deleted

  bool operator==(const MemoryChanged&) const = default;
};

}  // namespace atrium::core::memory
