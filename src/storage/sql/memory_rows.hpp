#pragma once
// A memory row as the SQL repositories read it (table memories, alias m).

#include <string>
#include <vector>

#include "core/memory/memory.hpp"
#include "storage/value.hpp"

namespace atrium::storage::sql {

// The columns MemoryFrom reads, in order, qualified with alias m.
extern const char* const kMemoryColumns;
// A memory from the first kMemoryColumns cells of `row`.
core::memory::Memory MemoryFrom(const std::vector<Value>& row);
// The tags column: a JSON array of strings.
std::string TagsText(const std::vector<std::string>& tags);

}  // namespace atrium::storage::sql
