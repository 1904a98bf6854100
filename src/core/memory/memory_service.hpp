#pragma once
// Long-term memory as every dialect uses it: save, recall (ranked by
// memory_ranking.hpp), full-text search with highlighted HTML, update and delete, each
// owner-scoped; every change is announced on the bus (memory_changed.hpp) to the
// user's topic.
//
// Limits: content 1-4,000 bytes (control characters removed, ends trimmed);
// importance 0-1; at most 20 tags of 1-50 bytes (trimmed, lower-cased, duplicates
// dropped); a source of at most 200 bytes.
//
// Blocking; thread-safe. Call from worker threads.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/events/event_bus.hpp"
#include "core/memory/memory_repository.hpp"
#include "core/random.hpp"
#include "core/result.hpp"

namespace atrium::core::memory {

struct RecallQuery {
  std::string query;  // free text; empty: the most important and recent memories
  std::int64_t limit = 5;  // 1-50
  std::optional<MemoryType> type;
};

struct Recalled {
  Memory memory;  // as stored after this recall (access_count and last_accessed updated)
  double relevance = 0;
};

struct SearchQuery {
  std::string q;
  std::optional<MemoryType> type;
  std::vector<std::string> tags;  // any of them
  std::int64_t page = 1;          // from 1
  std::int64_t limit = 10;        // 1-100
};

struct SearchResult {
  Memory memory;
  double match_score = 0;        // 0-1, the best match of the page's query is highest
  std::string highlighted_html;  // the content escaped, matched terms in <mark></mark>
};

struct SearchPage {
  std::vector<SearchResult> items;
  std::int64_t total = 0;
};

// Told after a memory's text was stored (saved or updated), e.g. to embed it. Must not
// block for long: it runs in the writer's thread, after the write.
class MemoryObserver {
 public:
  virtual ~MemoryObserver() = default;
  virtual void MemoryWritten(const std::string& user_id, const std::string& memory_id) = 0;
};

class MemoryService {
 public:
  // Every reference outlives the service; `observer` may be null.
  MemoryService(MemoryRepository& repo, events::EventBus& bus, const Clock& clock, Random& random,
                MemoryObserver* observer = nullptr);

  Result<Memory> Save(const std::string& user_id, NewMemory memory);
  Result<Memory> Get(const std::string& user_id, const std::string& id);
  Result<Memory> Update(const std::string& user_id, const std::string& id, MemoryPatch patch,
                        MemoryOrigin by = MemoryOrigin::kManual);
  Result<void> Delete(const std::string& user_id, const std::string& id, MemoryOrigin by = MemoryOrigin::kManual);
  Result<std::int64_t> Count(const std::string& user_id);
  Result<std::int64_t> CountAll();

  // Ranked best first; each returned memory's access is recorded.
  Result<std::vector<Recalled>> Recall(const std::string& user_id, const RecallQuery& query);
  // Recall's ranking without recording access and without memories that do not match
  // the text at all (what a chat turn gives the model as context).
  Result<std::vector<Recalled>> Relevant(const std::string& user_id, const std::string& text, std::int64_t limit);
  Result<SearchPage> Search(const std::string& user_id, const SearchQuery& query);

 private:
  Result<std::vector<Recalled>> Rank(const std::string& user_id, const RecallQuery& query, bool matches_only);
  void Announce(const std::string& user_id, const std::string& id, MemoryChange change, MemoryOrigin origin,
                const std::string& content);

  MemoryRepository& repo_;
  events::EventBus& bus_;
  const Clock& clock_;
  Random& random_;
  MemoryObserver* observer_;
};

// The checks Save and Update apply, exposed for tests and callers that validate early.
Result<std::string> CleanContent(std::string_view content);
Result<std::vector<std::string>> CleanTags(const std::vector<std::string>& tags);

}  // namespace atrium::core::memory
