#pragma once
// Auto-saved memories: after a chat turn, the facts worth keeping in the user's message
// are extracted by the model and consolidated against the user's stored memories
// (memory_consolidation.hpp), as a durable job of kind "memory.extract" that runs after
// the answer was stored and told, so extraction never slows or breaks a chat reply.
//
// ExtractionRequest is what a turn asks for; the scheduler enqueues it (dedupe key
// "memory.extract:<assistant message id>": one extraction per turn); the handler asks
// the generator for the facts (fact_extraction.hpp), then consolidates each in order.
// A memory it adds has origin auto and source "auto:conversation/<id>/message/<id>"
// (the user message it came from).
//
// Idempotent (jobs/job_handler.hpp): a fact whose normalised text a stored memory of
// the user already has is never stored again, so a rerun after a crash finds the facts
// of the first attempt stored (added, or written into the memory it updated) and keeps
// them out; an update is conditional on the memory's content being what the model was
// shown. A rerun asks the model again: should it then extract other facts, those are
// consolidated like any new ones. Extractions of one user run one at a time in a
// process (two turns in quick succession cannot both add the same fact).

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "core/jobs/job_handler.hpp"

namespace atrium::core::llm {
class Generator;
}
namespace atrium::core::jobs {
class JobQueue;
}

namespace atrium::core::memory {

class MemoryService;
class SimilarMemories;

inline constexpr std::string_view kExtractionJobKind = "memory.extract";

struct ExtractionRequest {
  std::string user_id;
  std::string conversation_id;
  std::string message_id;         // the user's message, where the facts come from
  std::string answer_message_id;  // the assistant's answer to it: one job per turn
  std::string text;               // the user's message (cut to kMaxExtractionInput bytes)
  std::string model;              // the model that answered the turn; empty: the default

  bool operator==(const ExtractionRequest&) const = default;
};

// "auto:conversation/<conversation id>/message/<message id>".
std::string ExtractionSource(const ExtractionRequest& request);

// Where a turn hands its extraction. Must not block for long (it runs after the answer
// was stored and told, on a worker thread).
class ExtractionScheduler {
 public:
  virtual ~ExtractionScheduler() = default;
  virtual void Schedule(const ExtractionRequest& request) = 0;
};

class JobExtractionScheduler final : public ExtractionScheduler {
 public:
  explicit JobExtractionScheduler(jobs::JobQueue& queue) : queue_(queue) {}
  // Best effort: a queue that cannot store the job leaves the turn's facts unsaved.
  void Schedule(const ExtractionRequest& request) override;

 private:
  jobs::JobQueue& queue_;
};

// What one extraction did.
struct ExtractionSummary {
  bool readable = true;  // false: the model's reply held no list of facts (nothing done)
  std::int64_t facts = 0;
  std::int64_t added = 0;
  std::int64_t updated = 0;
  std::int64_t deleted = 0;
  std::int64_t kept = 0;

  bool operator==(const ExtractionSummary&) const = default;
};

// The summary as the job's result: {"readable", "facts", "added", "updated",
// "deleted", "kept"}.
std::string EncodeSummary(const ExtractionSummary& summary);
// The job's payload, and back (nullopt when it is not an extraction request).
std::string EncodeRequest(const ExtractionRequest& request);
std::optional<ExtractionRequest> DecodeRequest(std::string_view payload);

class ExtractionJobHandler final : public jobs::JobHandler {
 public:
  // All outlive the handler; `similar` as for Consolidator (may be null).
  ExtractionJobHandler(MemoryService& memories, llm::Generator& generator, const SimilarMemories* similar = nullptr)
      : memories_(memories), generator_(generator), similar_(similar) {}

  // One extraction, blocking. A reply with no readable facts is a success with
  // readable false (asking again would cost as much and likely read no better); the
  // generator's and the store's errors are returned (the job is retried).
  Result<ExtractionSummary> Extract(const ExtractionRequest& request, jobs::JobContext* context = nullptr);

  // Result: EncodeSummary. kInvalidArgument for a payload that is not an extraction
  // request; kUnavailable when the attempt was told to stop between two facts.
  Result<std::string> Run(jobs::JobContext& context) override;

 private:
  std::mutex& UserLock(const std::string& user_id);

  MemoryService& memories_;
  llm::Generator& generator_;
  const SimilarMemories* similar_;
  std::array<std::mutex, 16> user_locks_;  // striped by user id
};

}  // namespace atrium::core::memory
