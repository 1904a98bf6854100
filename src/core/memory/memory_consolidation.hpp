#pragma once
// One extracted fact against what the user's memory already holds (the Mem0 way: add,
// update, delete or keep). The rule:
//
//   1. The user's stored memories most similar to the fact are found by full-text
//      recall (MemoryService::Relevant: any word of the fact, best first, at most
//      kSimilarMemories). One whose NormaliseFact form equals the fact's means the fact
//      is kept out: an identical fact is never stored twice, whatever the model says.
//   2. With nothing similar the fact is added, without asking the model.
//   3. Otherwise the model is shown the fact and the similar memories (numbered, not
//      by id, so it cannot name a memory it was not shown) and answers one of
//        ADD     the fact is new information: stored as a new memory;
//        UPDATE  it corrects, contradicts or refines memory n: that memory's content
//                becomes the given text (the fact's, when none or an unusable one is
//                given), its importance the higher of the two;
//        DELETE  memory n is no longer true and nothing replaces it: deleted, but
//                only a memory that was itself extracted (origin auto); one the user
//                saved is kept;
//        NONE    the memory already holds it: nothing changes.
//      An unreadable answer, or an UPDATE naming no memory shown, is an ADD (the fact
//      passed the duplicate check of step 1); a DELETE naming none changes nothing.
//   4. An update is conditional: the memory must still have the content the model was
//      shown (else it changed meanwhile and is kept as it is).
//
// Every change is made through MemoryService with origin auto, so it is announced as
// memory.changed from the assistant. Blocking; call from a worker thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/llm/generation.hpp"
#include "core/memory/fact_extraction.hpp"
#include "core/memory/memory.hpp"
#include "core/memory/similar_memories.hpp"
#include "core/result.hpp"

namespace atrium::core::memory {

class MemoryService;

inline constexpr std::int64_t kSimilarMemories = 5;

enum class ConsolidationEvent { kAdd, kUpdate, kDelete, kNone };

struct ConsolidationDecision {
  ConsolidationEvent event = ConsolidationEvent::kNone;
  std::optional<std::size_t> index;  // which memory shown, for kUpdate and kDelete
  std::string text;                  // kUpdate: the memory's new content (may be empty)
};

// The request that asks for a decision on `fact` given `similar` (shown as 0, 1, ...).
llm::GenerationRequest DecisionRequest(const ExtractedFact& fact, const std::vector<Memory>& similar,
                                       const std::string& model);

// The first JSON object of `reply` (prose around it ignored): {"event": "ADD" |
// "UPDATE" | "DELETE" | "NONE" (any case), "id": "<n>" or n, "text"?}; also the first
// element of {"memory": [...]}. nullopt when unreadable.
std::optional<ConsolidationDecision> ParseDecision(std::string_view reply);

enum class Consolidated { kAdded, kUpdated, kDeleted, kKept };

struct ConsolidationOutcome {
  Consolidated what = Consolidated::kKept;
  std::string memory_id;  // the memory added, updated, deleted, or that holds the fact (may be empty)
};

class Consolidator {
 public:
  // All outlive the consolidator. The memories a fact is compared with come from
  // `similar`, or from MemoryService::Relevant (shared words) when it is null.
  Consolidator(MemoryService& memories, llm::Generator& generator, const SimilarMemories* similar = nullptr)
      : memories_(memories), generator_(generator), similar_(similar) {}

  // Applies the rule above to `fact` of `user_id`; a new memory gets `source`. The
  // store's and the generator's errors are returned (nothing of this fact is stored
  // then); `model` names the model to ask (empty: the default).
  Result<ConsolidationOutcome> Consolidate(const std::string& user_id, const ExtractedFact& fact,
                                           const std::string& source, const std::string& model);

 private:
  Result<ConsolidationOutcome> Add(const std::string& user_id, const ExtractedFact& fact, const std::string& source);
  Result<ConsolidationOutcome> Update(const std::string& user_id, const ExtractedFact& fact, const Memory& shown,
                                      const std::string& text, const std::string& source);

  Result<std::vector<Memory>> Similar(const std::string& user_id, const std::string& text);

  MemoryService& memories_;
  llm::Generator& generator_;
  const SimilarMemories* similar_;
};

}  // namespace atrium::core::memory
