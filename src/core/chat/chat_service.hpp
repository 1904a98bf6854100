#pragma once
// The chat flow every dialect reuses: save the user's message, build the prompt from
// the history and the system prompt, generate (whole or streamed), save the answer
// with its metadata, count usage on the conversation and the user, enforce the user's
// token limit, publish neutral events on the bus, and title new conversations in the
// background. Regenerate and edit-then-regenerate work the same way.
//
// What is stored, exactly: a turn is one transaction. It is committed when the
// generation completes, or when it is cancelled (the partial answer is then stored
// once, with status "cancelled"). When the generation fails - upstream down, refused,
// cut mid-stream, rate limited - nothing of the turn is stored: no new conversation,
// no user message, no edit, no deletion, no usage.
//
// Bus events (topics "user:<id>" and "conversation:<id>", JSON payloads):
//   message.started {conversation_id, message_id, user_message_id, model}
//   message.delta   {conversation_id, message_id, delta}
//   message.done    {conversation_id, message_id, content, status, model, usage, cost_usd, generation_ms}
//   message.error   {conversation_id, message_id, code, message}
//   conversation.title {conversation_id, title}

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/chat/conversation_store.hpp"
#include "core/events/event_bus.hpp"
#include "core/llm/generation.hpp"
#include "core/worker_pool.hpp"

namespace atrium::core::memory {
class ExtractionScheduler;
}

namespace atrium::core::chat {

struct TurnOptions {
  std::string user_id;
  std::string conversation_id;               // empty: a new conversation
  NewConversation new_conversation;          // its fields (an empty title: from the message)
  std::string content;                       // the user's message
  std::optional<std::string> system_prompt;  // this turn's (and a new conversation's)
  std::string model;                         // empty: the conversation's, else the default
  llm::SamplingOptions sampling;
  // Front doors that resend the whole history (OpenAI-style) pass it here: it is the
  // prompt instead of the stored messages, and a new conversation stores it too.
  std::optional<std::vector<llm::ChatMessage>> history;
  bool generate_title = true;
  // After the answer is stored, the facts worth keeping in the user's message go to
  // the memory extraction (core/memory/extraction_job.hpp), when the service has one.
  bool extract_memories = false;
  // Context for this turn only (retrieved memories, document passages): sent as a
  // system message just before the user's message, never stored.
  std::string context;
  // Stored with the user's message (voice input) and with the answer (the ids of the
  // context it was given).
  MessageAnnotations user_annotations;
  MessageAnnotations answer_annotations;
};

struct RegenerateOptions {
  std::string user_id;
  std::string conversation_id;
  // The assistant message to answer again; empty: the last one.
  std::string message_id;
  // Edit-then-regenerate: this user message gets `edit_content`, every message after it
  // is deleted, and it is answered anew.
  std::optional<std::string> edit_message_id;
  std::string edit_content;
  std::string model;  // empty: the conversation's
  llm::SamplingOptions sampling;
};

struct TurnIds {
  std::string conversation_id;
  std::string user_message_id;  // the new or edited user message; empty when regenerating
  std::string assistant_message_id;
  bool new_conversation = false;
};

struct TurnResult {
  Conversation conversation;
  std::optional<Message> user_message;
  Message assistant_message;
};

enum class ChatEventType { kStarted, kDelta, kDone, kError };

struct ChatEvent {
  ChatEventType type;
  const TurnIds* ids = nullptr;  // valid during the call
  std::string model;             // kStarted
  // kStarted: the conversation as the turn will store it (a new one is not stored
  // yet) and the new or edited user message (null when regenerating). Both are
  // committed with the answer, in one transaction, or not at all.
  const Conversation* conversation = nullptr;
  const Message* user_message = nullptr;
  std::string delta;                   // kDelta
  const TurnResult* result = nullptr;  // kDone: what was stored
  std::optional<Error> error;          // kError: nothing was stored
};

// kStarted and kDelta run on the gateway's network thread, kDone and kError on a
// worker thread (after the commit) or the network thread; never two at once. Keep
// them quick; they must not block.
using ChatSink = std::function<void(const ChatEvent&)>;

class ChatTurn {
 public:
  virtual ~ChatTurn() = default;
  // Stops the generation; the partial answer is stored once and kDone follows.
  virtual void Cancel() = 0;
  // Stops the generation and stores nothing (the front door gave up waiting); kError
  // follows with reason "abandoned".
  virtual void Abandon() = 0;
  virtual const TurnIds& ids() const = 0;
};

class TitleScheduler;

class ChatService {
 public:
  // Generated titles go to `titles` (a durable job, core/chat/title_job.hpp) when it
  // is given, else to `background` in this process. Turns that ask for it hand their
  // message to `memories` after the commit (nothing is extracted without one). Both
  // outlive the service.
  ChatService(ConversationStore& store, llm::Generator& generator, events::EventBus& bus, WorkerPool& background,
              TitleScheduler* titles = nullptr, memory::ExtractionScheduler* memories = nullptr);

  // Blocking: the whole turn. Call from a worker thread.
  Result<TurnResult> Send(const TurnOptions& options);
  Result<TurnResult> Regenerate(const RegenerateOptions& options);

  // Streaming: validates and plans (blocking, on a worker thread), starts the
  // generation and returns; the rest arrives through `sink`. An error here means
  // nothing was stored and no event follows.
  Result<std::shared_ptr<ChatTurn>> Stream(const TurnOptions& options, ChatSink sink);
  Result<std::shared_ptr<ChatTurn>> StreamRegenerate(const RegenerateOptions& options, ChatSink sink);

  struct Plan;

 private:
  Result<Plan> PlanSend(const TurnOptions& options);
  Result<Plan> PlanRegenerate(const RegenerateOptions& options);
  Result<TurnResult> Run(Plan plan);
  Result<std::shared_ptr<ChatTurn>> Start(Plan plan, ChatSink sink);

  ConversationStore& store_;
  llm::Generator& generator_;
  events::EventBus& bus_;
  WorkerPool& background_;
  TitleScheduler* titles_;
  memory::ExtractionScheduler* memories_;
};

// A title from the generator's answer: one line, no quotes, at most 80 bytes (cut at a
// UTF-8 boundary). Empty when nothing usable remains.
std::string CleanTitle(std::string_view text);
// A conversation's first title: the message's first line, at most 60 bytes.
std::string TitleFromMessage(std::string_view text);

}  // namespace atrium::core::chat
