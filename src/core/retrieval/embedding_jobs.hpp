#pragma once
// Vectors made in the background, as durable jobs:
//   "retrieval.embed_memory"  one memory, after it was saved or its text changed
//                             (EmbeddingScheduler is the MemoryService's observer);
//   "retrieval.embed_missing" every ready chunk and memory without a vector of the
//                             configured model, in batches: queued at start (so a new
//                             embedding model re-embeds everything, after the other
//                             models' vectors were dropped) and after a document whose
//                             chunks could not be embedded when it was processed.
// Both are idempotent: a vector is stored only for an item that still exists, and
// replaces the item's vector of the same model.

#include <string>

#include "core/jobs/job_handler.hpp"
#include "core/memory/memory_service.hpp"

namespace atrium::core::jobs {
class JobQueue;
}

namespace atrium::core::retrieval {

class Embedder;
class EmbeddingRepository;

inline constexpr std::string_view kEmbedMemoryJobKind = "retrieval.embed_memory";
inline constexpr std::string_view kEmbedMissingJobKind = "retrieval.embed_missing";

// Queues the jobs. Best effort: an item left without a vector is found by the next
// "embed_missing" run, and retrieval falls back to full text meanwhile.
class EmbeddingScheduler final : public memory::MemoryObserver {
 public:
  EmbeddingScheduler(jobs::JobQueue& queue, const Embedder& embedder) : queue_(queue), embedder_(embedder) {}
  void MemoryWritten(const std::string& user_id, const std::string& memory_id) override;
  // `reason` makes the dedupe key ("start:<model>", "document:<id>:<revision>").
  void EmbedMissing(const std::string& reason);

 private:
  jobs::JobQueue& queue_;
  const Embedder& embedder_;
};

class EmbedMemoryJob final : public jobs::JobHandler {
 public:
  EmbedMemoryJob(memory::MemoryService& memories, EmbeddingRepository& store, const Embedder& embedder)
      : memories_(memories), store_(store), embedder_(embedder) {}
  // "embedded" or "gone"; the embedder's errors are retried.
  Result<std::string> Run(jobs::JobContext& context) override;

 private:
  memory::MemoryService& memories_;
  EmbeddingRepository& store_;
  const Embedder& embedder_;
};

class EmbedMissingJob final : public jobs::JobHandler {
 public:
  EmbedMissingJob(EmbeddingRepository& store, const Embedder& embedder) : store_(store), embedder_(embedder) {}
  // "<n> embedded"; progress per batch.
  Result<std::string> Run(jobs::JobContext& context) override;

 private:
  EmbeddingRepository& store_;
  const Embedder& embedder_;
};

}  // namespace atrium::core::retrieval
