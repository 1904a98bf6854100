#pragma once
// A new conversation's generated title as a durable job (kind "chat.title"), so it is
// made even when the instance that ran the turn dies before the title arrived.
//
// TitleRequest is what a turn asks for; the scheduler enqueues it (dedupe key
// "chat.title:<conversation id>": one title job per conversation); the handler asks
// the generator, then sets the title only if the conversation still has its first
// title (SetTitleIf), and publishes conversation.title when it changed it. That
// condition makes it idempotent: a rerun after a crash finds the title already
// replaced and succeeds without publishing again.

#include <string>

#include "core/jobs/job_handler.hpp"

namespace atrium::core::events {
class EventBus;
}
namespace atrium::core::llm {
class Generator;
}
namespace atrium::core::jobs {
class JobQueue;
}

namespace atrium::core::chat {

class ConversationStore;

inline constexpr std::string_view kTitleJobKind = "chat.title";

struct TitleRequest {
  std::string user_id;
  std::string conversation_id;
  std::string initial_title;  // what the generated title may replace
  std::string seed;           // the conversation's first message (cut to 2000 bytes)
  std::string model;
};

// Where a turn hands its title request. Must not block for long (it runs after the
// answer was stored, on a worker thread).
class TitleScheduler {
 public:
  virtual ~TitleScheduler() = default;
  virtual void Schedule(const TitleRequest& request) = 0;
};

// Generates and stores one title; true when it replaced the first title (and published
// it). Blocking. Shared by the in-process path and the job handler.
Result<bool> GenerateTitle(ConversationStore& store, llm::Generator& generator, events::EventBus& bus,
                           const TitleRequest& request);

class JobTitleScheduler final : public TitleScheduler {
 public:
  explicit JobTitleScheduler(jobs::JobQueue& queue) : queue_(queue) {}
  // Best effort like the in-process path: a queue that cannot store the job leaves the
  // conversation with its first title.
  void Schedule(const TitleRequest& request) override;

 private:
  jobs::JobQueue& queue_;
};

class TitleJobHandler final : public jobs::JobHandler {
 public:
  TitleJobHandler(ConversationStore& store, llm::Generator& generator, events::EventBus& bus)
      : store_(store), generator_(generator), bus_(bus) {}
  // Result "replaced" or "kept"; kInvalidArgument for a payload that is not a title
  // request; the generator's error otherwise (retried).
  Result<std::string> Run(jobs::JobContext& context) override;

 private:
  ConversationStore& store_;
  llm::Generator& generator_;
  events::EventBus& bus_;
};

}  // namespace atrium::core::chat
