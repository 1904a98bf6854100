#pragma once
// The memories aggregate, owner-scoped: every call names the user, and another user's
// memory is "not found". Full-text matching is the driver's own index (SQLite FTS5
// with the porter stemmer, PostgreSQL tsvector with the English stemmer); both fold
// case and diacritics. A storage driver implements it (storage/sql/sql_memory_repository.hpp).
//
// Thread-safety: every method may be called from any thread; all block.
// Isolation: kReadCommitted suffices; each write is one unit, RecordAccess increments.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/memory/memory.hpp"
#include "core/result.hpp"

namespace atrium::core::memory {

// What a match's highlighted text wraps each matched term in. Neither byte can be in
// stored content (MemoryService strips control characters), so the caller can escape
// the text and turn the markers into markup of its own.
inline constexpr char kMarkStart = '\x01';
inline constexpr char kMarkEnd = '\x02';

enum class MatchMode {
  kAllWords,  // every word of the query, the last one as a prefix (a search box)
  kAnyWord,   // at least one word; more of them rank higher (recall)
};

// Whether MatchPage::total is counted (a paged search shows it) or left 0 (recall
// ranks candidates only; counting every match costs as much as ranking them).
enum class MatchTotal { kCount, kSkip };

struct MemoryFilter {
  std::optional<MemoryType> type;
  std::vector<std::string> tags;  // lower-case; a memory with any of them passes; empty: all
};

struct TextMatch {
  Memory memory;
  double rank = 0;          // (0, 1), higher is better: the index's relevance, normalised
  std::string highlighted;  // the whole content, matched terms between kMarkStart and kMarkEnd
};

struct MatchPage {
  std::vector<TextMatch> items;  // best first; ties newest first
  std::int64_t total = 0;        // every match of the query and filter
};

class MemoryRepository {
 public:
  virtual ~MemoryRepository() = default;

  // `memory` carries its id and timestamps (the service makes them).
  virtual Result<void> Insert(const Memory& memory) = 0;
  virtual Result<std::optional<Memory>> Get(const std::string& user_id, const std::string& id) = 0;
  // The memory after the patch; nullopt when there is no such memory of this user.
  virtual Result<std::optional<Memory>> Update(const std::string& user_id, const std::string& id,
                                               const MemoryPatch& patch, const std::string& now) = 0;
  // False when there was no such memory of this user.
  virtual Result<bool> Delete(const std::string& user_id, const std::string& id) = 0;
  virtual Result<std::int64_t> Count(const std::string& user_id) = 0;
  // Every user's memories together (admin statistics).
  virtual Result<std::int64_t> CountAll() = 0;

  // The user's memories passing `filter`, newest first, at most `limit`.
  virtual Result<std::vector<Memory>> Recent(const std::string& user_id, const MemoryFilter& filter,
                                             std::int64_t limit) = 0;
  // Full-text matches of `query` (its words: runs of letters, digits, '_' and non-ASCII
  // characters; engine syntax is text) in content and tags. A query without words
  // matches nothing.
  virtual Result<MatchPage> Match(const std::string& user_id, const std::string& query, MatchMode mode,
                                  const MemoryFilter& filter, std::int64_t limit, std::int64_t offset,
                                  MatchTotal total) = 0;

  // Recall returned these: access_count + 1 and last_accessed = `now` on each of the
  // user's memories named (others are ignored).
  virtual Result<void> RecordAccess(const std::string& user_id, const std::vector<std::string>& ids,
                                    const std::string& now) = 0;
};

}  // namespace atrium::core::memory
