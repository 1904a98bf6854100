#include "core/chat/chat_service.hpp"

#include <mutex>

#include "core/chat/title_job.hpp"
#include "core/memory/extraction_job.hpp"
#include "core/memory/fact_extraction.hpp"
#include "core/quota/token_quota.hpp"

namespace atrium::core::chat {

struct ChatService::Plan {
  TurnRecord record;
  llm::GenerationRequest request;
  TurnIds ids;
  std::optional<Message> user_message;
  Conversation conversation;  // as it is (or, for a new one, will be) stored
  std::string title_seed;     // the first message of a new conversation
  std::string initial_title;  // what the background title may replace
  bool generate_title = false;
  bool extract_memories = false;  // the user message's facts, after the commit
  MessageAnnotations answer_annotations;
};

namespace {

std::string Cut(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a UTF-8 sequence
  return std::string(text.substr(0, end));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The topics a turn's events go to: the user's and the conversation's.
std::vector<std::string> TurnTopics(const std::string& user_id, const std::string& conversation_id) {
  return {events::topics::User(user_id), events::topics::Conversation(conversation_id)};
}

// One publish to `topics`. A bus that cannot deliver must not fail the turn: listeners
// resynchronise from the store.
void Publish(events::EventBus& bus, std::vector<std::string> topics, events::Payload payload) {
  (void)bus.Publish({std::move(topics), std::move(payload)});
}

void Publish(events::EventBus& bus, const std::string& user_id, const std::string& conversation_id,
             events::Payload payload) {
  Publish(bus, TurnTopics(user_id, conversation_id), std::move(payload));
}

// Whether anyone follows `topics`: without a listener a turn's deltas are not built.
bool Followed(const events::EventBus& bus, const std::vector<std::string>& topics) {
  for (const auto& topic : topics) {
    if (bus.HasSubscribers(topic)) return true;
  }
  return false;
}

// Everything that happens once a generation has ended; shared by the blocking and the
// streamed paths.
struct Finisher {
  ConversationStore& store;
  llm::Generator& generator;
  events::EventBus& bus;
  WorkerPool& background;
  TitleScheduler* titles;
  memory::ExtractionScheduler* memories;

  Result<TurnResult> Commit(ChatService::Plan& plan, const llm::GenerationResult& gen) {
    const bool cancelled = gen.finish_reason == "cancelled";
    Message answer;
    answer.id = plan.ids.assistant_message_id;
    answer.conversation_id = plan.ids.conversation_id;
    answer.role = "assistant";
    answer.content = gen.content;
    answer.status = cancelled ? MessageStatus::kCancelled : MessageStatus::kComplete;
    answer.annotations = plan.answer_annotations;
    GenerationMetadata meta;
    meta.model = gen.model;
    meta.prompt_tokens = gen.usage.prompt_tokens;
    meta.completion_tokens = gen.usage.completion_tokens;
    meta.total_tokens = gen.usage.total_tokens;
    meta.tokens_estimated = gen.usage.estimated;
    meta.generation_ms = gen.generation_time.count();
    meta.first_token_ms = gen.time_to_first_token.count();
    meta.cost_usd = gen.cost_usd;
    meta.finish_reason = gen.finish_reason;
    answer.generation = meta;
    answer.created_at = answer.updated_at = store.Now();
    plan.record.append.push_back(answer);
    plan.record.usage = {gen.usage.prompt_tokens, gen.usage.completion_tokens, gen.usage.total_tokens,
                         gen.cost_usd.value_or(0)};
    plan.record.model = gen.model;
    if (auto stored = store.CommitTurn(plan.record); !stored) return stored.error();
    auto conversation = store.Get(plan.record.user_id, plan.ids.conversation_id);
    if (!conversation) return conversation.error();
    TurnResult result{std::move(*conversation), plan.user_message, std::move(answer)};
    const auto& m = result.assistant_message;
    Publish(bus, plan.record.user_id, plan.ids.conversation_id,
            MessageDone{plan.ids.conversation_id, m.id, m.content, m.status, meta.model,
                        MessageUsage{meta.prompt_tokens, meta.completion_tokens, meta.total_tokens}, meta.generation_ms,
                        meta.cost_usd});
    return result;
  }

  void Failed(const ChatService::Plan& plan, const Error& error) {
    Publish(bus, plan.record.user_id, plan.ids.conversation_id,
            MessageError{plan.ids.conversation_id, plan.ids.assistant_message_id, error.code(), error.reason(),
                         error.safe_message()});
  }

  // Titles a new conversation in the background; the first title stays on failure.
  void Title(const ChatService::Plan& plan, const std::string& model) {
    TitleRequest request{plan.record.user_id, plan.ids.conversation_id, plan.initial_title, Cut(plan.title_seed, 2000),
                         model};
    if (titles != nullptr) {
      titles->Schedule(request);
      return;
    }
    auto& store_ref = store;
    auto& generator_ref = generator;
    auto& bus_ref = bus;
    // Best effort: with the pool full the conversation keeps its first title.
    (void)background.TrySubmit([request, &store_ref, &generator_ref, &bus_ref] {
      (void)GenerateTitle(store_ref, generator_ref, bus_ref, request);
    });
  }

  // Hands the turn's user message to the memory extraction, when it asked for it.
  void AfterCommit(const ChatService::Plan& plan, const TurnResult& result) {
    if (!plan.extract_memories || memories == nullptr || !plan.user_message) return;
    const auto& answer = result.assistant_message;
    memories->Schedule({plan.record.user_id, plan.ids.conversation_id, plan.user_message->id, answer.id,
                        Cut(plan.user_message->content, memory::kMaxExtractionInput),
                        answer.generation ? answer.generation->model : plan.request.model});
  }
};

// A streamed turn: relays the generator's events, commits at the end.
class StreamedTurn final : public ChatTurn, public std::enable_shared_from_this<StreamedTurn> {
 public:
  StreamedTurn(ChatService::Plan plan, ChatSink sink, Finisher finisher)
      : plan_(std::move(plan)),
        topics_(TurnTopics(plan_.record.user_id, plan_.ids.conversation_id)),
        sink_(std::move(sink)),
        finisher_(finisher) {}

  void Attach(std::shared_ptr<llm::GenerationHandle> handle) {
    bool cancel_now = false;
    {
      std::lock_guard lock(mu_);
      handle_ = std::move(handle);
      cancel_now = cancelled_;
    }
    if (cancel_now) handle_->Cancel();
  }

  void Cancel() override {
    std::shared_ptr<llm::GenerationHandle> handle;
    {
      std::lock_guard lock(mu_);
      cancelled_ = true;
      handle = handle_;
    }
    if (handle) handle->Cancel();
  }

  void Abandon() override {
    {
      std::lock_guard lock(mu_);
      discard_ = true;
    }
    Cancel();
  }

  const TurnIds& ids() const override { return plan_.ids; }

  void On(const llm::GenerationEvent& e) {
    switch (e.type) {
      case llm::GenerationEventType::kStarted: {
        Publish(finisher_.bus, plan_.record.user_id, plan_.ids.conversation_id,
                MessageStarted{plan_.ids.conversation_id, plan_.ids.assistant_message_id, plan_.ids.user_message_id,
                               e.model});
        ChatEvent out{ChatEventType::kStarted, &plan_.ids};
        out.model = e.model;
        out.conversation = &plan_.conversation;
        out.user_message = plan_.user_message ? &*plan_.user_message : nullptr;
        sink_(out);
        return;
      }
      case llm::GenerationEventType::kDelta: {
        // Per token: the topics are the turn's own, built once, so a delta nobody
        // follows costs no allocation.
        if (Followed(finisher_.bus, topics_)) {
          Publish(finisher_.bus, topics_,
                  MessageDelta{plan_.ids.conversation_id, plan_.ids.assistant_message_id, e.delta});
        }
        ChatEvent out{ChatEventType::kDelta, &plan_.ids};
        out.delta = e.delta;
        sink_(out);
        return;
      }
      case llm::GenerationEventType::kUsage:
        return;  // part of kDone
      case llm::GenerationEventType::kDone: {
        if (finished_) return;
        finished_ = true;
        Release();
        if (Discarded()) {
          ChatEvent out{ChatEventType::kError, &plan_.ids};
          out.error = Error(ErrorCode::kUnavailable, "The generation was abandoned").WithReason(Reason::kAbandoned);
          sink_(out);
          return;
        }
        // The commit blocks (SQLite): off the network thread when the pool has room.
        auto self = shared_from_this();
        auto result = e.result;
        if (!finisher_.background.TrySubmit([self, result] { self->Finish(result); })) Finish(result);
        return;
      }
      case llm::GenerationEventType::kError: {
        if (finished_) return;
        finished_ = true;
        Release();
        finisher_.Failed(plan_, *e.error);
        ChatEvent out{ChatEventType::kError, &plan_.ids};
        out.error = e.error;
        sink_(out);
        return;
      }
    }
  }

 private:
  void Finish(const llm::GenerationResult& result) {
    auto stored = finisher_.Commit(plan_, result);
    if (!stored) {
      finisher_.Failed(plan_, stored.error());
      ChatEvent out{ChatEventType::kError, &plan_.ids};
      out.error = stored.error();
      sink_(out);
      return;
    }
    ChatEvent out{ChatEventType::kDone, &plan_.ids};
    out.result = &*stored;
    sink_(out);
    // After the answer was told: its title never overtakes it.
    if (plan_.generate_title) finisher_.Title(plan_, result.model);
    finisher_.AfterCommit(plan_, *stored);
  }

  // The generation holds this turn (through its sink) until it ends; the turn lets go
  // of the generation at its end, so neither keeps the other alive.
  void Release() {
    std::lock_guard lock(mu_);
    handle_.reset();
  }

  bool Discarded() {
    std::lock_guard lock(mu_);
    return discard_;
  }

  ChatService::Plan plan_;
  const std::vector<std::string> topics_;  // TurnTopics of plan_, for every delta
  ChatSink sink_;
  Finisher finisher_;
  bool finished_ = false;  // network thread only
  std::mutex mu_;
  bool cancelled_ = false;
  bool discard_ = false;
  std::shared_ptr<llm::GenerationHandle> handle_;
};

Error Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message)).WithReason(Reason::kInvalidMessage);
}

// Checks the user's token budget and caps the answer to what is left of it.
Result<void> Budget(ConversationStore& store, const std::string& user_id, llm::SamplingOptions& sampling) {
  auto allowance = quota::TokenQuota(store).Check(user_id);
  if (!allowance) return allowance.error();
  sampling.max_tokens = allowance->Cap(sampling.max_tokens);
  return Ok{};
}

}  // namespace

std::string CleanTitle(std::string_view text) {
  auto t = Trim(text);
  if (const auto nl = t.find_first_of("\r\n"); nl != std::string_view::npos) t = Trim(t.substr(0, nl));
  while (!t.empty() && (t.front() == '"' || t.front() == '\'' || t.front() == '#' || t.front() == '*')) {
    t.remove_prefix(1);
  }
  while (!t.empty() && (t.back() == '"' || t.back() == '\'' || t.back() == '.' || t.back() == '*')) t.remove_suffix(1);
  return Cut(Trim(t), 80);
}

std::string TitleFromMessage(std::string_view text) {
  auto t = Trim(text);
  if (const auto nl = t.find_first_of("\r\n"); nl != std::string_view::npos) t = t.substr(0, nl);
  std::string title = Cut(Trim(t), 60);
  return title.empty() ? "New conversation" : title;
}

ChatService::ChatService(ConversationStore& store, llm::Generator& generator, events::EventBus& bus,
                         WorkerPool& background, TitleScheduler* titles, memory::ExtractionScheduler* memories)
    : store_(store), generator_(generator), bus_(bus), background_(background), titles_(titles), memories_(memories) {}

Result<ChatService::Plan> ChatService::PlanSend(const TurnOptions& o) {
  if (Trim(o.content).empty()) return Invalid("The message must not be empty");
  Plan plan;
  plan.request.sampling = o.sampling;
  if (auto budget = Budget(store_, o.user_id, plan.request.sampling); !budget) return budget.error();
  plan.record.user_id = o.user_id;
  plan.ids.user_message_id = store_.NewId();
  plan.ids.assistant_message_id = store_.NewId();
  const std::string now = store_.Now();
  std::vector<llm::ChatMessage> history;
  std::string system_prompt;
  std::string model = o.model;
  if (o.conversation_id.empty()) {
    plan.ids.conversation_id = store_.NewId();
    plan.ids.new_conversation = true;
    NewConversation fields = o.new_conversation;
    if (o.system_prompt) fields.system_prompt = *o.system_prompt;
    if (fields.title.empty()) {
      fields.title = TitleFromMessage(o.content);
      plan.generate_title = o.generate_title;
    }
    if (fields.model.empty()) fields.model = model;
    if (model.empty()) model = fields.model;
    system_prompt = fields.system_prompt;
    plan.initial_title = fields.title;
    plan.title_seed = o.content;
    auto& c = plan.conversation;
    c.id = plan.ids.conversation_id;
    c.user_id = o.user_id;
    c.title = fields.title;
    c.config_id = fields.config_id;
    c.folder_id = fields.folder_id;
    c.tags = fields.tags;
    c.system_prompt = fields.system_prompt;
    c.model = fields.model;
    c.created_at = c.updated_at = now;
    plan.record.create = std::move(fields);
    if (o.history) {
      history = *o.history;
      for (const auto& h : history) {
        Message m;
        m.id = store_.NewId();
        m.conversation_id = plan.ids.conversation_id;
        m.role = h.role;
        m.content = h.content;
        m.created_at = m.updated_at = now;
        plan.record.append.push_back(std::move(m));
      }
    }
  } else {
    auto conversation = store_.Get(o.user_id, o.conversation_id);
    if (!conversation) return conversation.error();
    plan.ids.conversation_id = conversation->id;
    plan.conversation = *conversation;
    system_prompt = o.system_prompt.value_or(conversation->system_prompt);
    if (model.empty()) model = conversation->model;
    if (o.history) {
      history = *o.history;
    } else {
      auto stored = store_.Messages(o.user_id, o.conversation_id);
      if (!stored) return stored.error();
      for (const auto& m : *stored) history.push_back({m.role, m.content});
    }
  }
  plan.record.conversation_id = plan.ids.conversation_id;
  Message user;
  user.id = plan.ids.user_message_id;
  user.conversation_id = plan.ids.conversation_id;
  user.role = "user";
  user.content = o.content;
  user.annotations = o.user_annotations;
  user.created_at = user.updated_at = now;
  plan.record.append.push_back(user);
  plan.user_message = user;
  plan.record.user_messages = 1;
  plan.answer_annotations = o.answer_annotations;
  plan.extract_memories = o.extract_memories;
  if (!o.context.empty()) history.push_back({"system", o.context});
  history.push_back({"user", o.content});
  plan.request.model = model;
  plan.request.system_prompt = system_prompt;
  plan.request.messages = std::move(history);
  plan.request.user = o.user_id;
  return plan;
}

Result<ChatService::Plan> ChatService::PlanRegenerate(const RegenerateOptions& o) {
  auto conversation = store_.Get(o.user_id, o.conversation_id);
  if (!conversation) return conversation.error();
  auto messages = store_.Messages(o.user_id, o.conversation_id);
  if (!messages) return messages.error();
  Plan plan;
  plan.request.sampling = o.sampling;
  if (auto budget = Budget(store_, o.user_id, plan.request.sampling); !budget) return budget.error();
  plan.record.user_id = o.user_id;
  plan.record.conversation_id = conversation->id;
  plan.ids.conversation_id = conversation->id;
  plan.ids.assistant_message_id = store_.NewId();
  plan.conversation = *conversation;
  const auto& all = *messages;
  std::size_t cut = 0;  // the prompt is all[0, cut)
  if (o.edit_message_id) {
    if (Trim(o.edit_content).empty()) return Invalid("The message must not be empty");
    const auto it = std::find_if(all.begin(), all.end(), [&](const Message& m) { return m.id == *o.edit_message_id; });
    if (it == all.end()) return Error(ErrorCode::kNotFound, "Message not found").WithReason(Reason::kMessageNotFound);
    if (it->role != "user") return Invalid("Only the user's own messages can be edited");
    cut = static_cast<std::size_t>(it - all.begin()) + 1;
    plan.record.edit_message_id = it->id;
    plan.record.edit_content = o.edit_content;
    plan.record.truncate_after_message_id = it->id;
    plan.ids.user_message_id = it->id;
    Message edited = *it;
    edited.edit_history.push_back({edited.content, store_.Now()});
    edited.content = o.edit_content;
    edited.updated_at = store_.Now();
    plan.user_message = edited;
  } else {
    auto it = all.end();
    if (o.message_id.empty()) {
      const auto last = std::find_if(all.rbegin(), all.rend(), [](const Message& m) { return m.role == "assistant"; });
      if (last != all.rend()) it = std::next(last).base();
    } else {
      it = std::find_if(all.begin(), all.end(), [&](const Message& m) { return m.id == o.message_id; });
      if (it == all.end()) return Error(ErrorCode::kNotFound, "Message not found").WithReason(Reason::kMessageNotFound);
    }
    if (it == all.end() || it->role != "assistant") return Invalid("There is no assistant message to regenerate");
    cut = static_cast<std::size_t>(it - all.begin());
    if (cut == 0) return Invalid("There is no message to answer");
    plan.record.truncate_after_message_id = all[cut - 1].id;
  }
  for (std::size_t i = 0; i < cut; ++i) {
    const auto& m = all[i];
    plan.request.messages.push_back(
        {m.role, plan.record.edit_message_id && m.id == *plan.record.edit_message_id ? o.edit_content : m.content});
  }
  plan.request.model = o.model.empty() ? conversation->model : o.model;
  plan.request.system_prompt = conversation->system_prompt;
  plan.request.user = o.user_id;
  return plan;
}

Result<TurnResult> ChatService::Run(Plan plan) {
  Finisher finisher{store_, generator_, bus_, background_, titles_, memories_};
  auto generated = generator_.Generate(plan.request);
  if (!generated) {
    finisher.Failed(plan, generated.error());
    return generated.error();
  }
  auto stored = finisher.Commit(plan, *generated);
  if (stored && plan.generate_title) finisher.Title(plan, generated->model);
  if (stored) finisher.AfterCommit(plan, *stored);
  return stored;
}

Result<std::shared_ptr<ChatTurn>> ChatService::Start(Plan plan, ChatSink sink) {
  auto request = plan.request;
  auto turn = std::make_shared<StreamedTurn>(std::move(plan), std::move(sink),
                                             Finisher{store_, generator_, bus_, background_, titles_, memories_});
  auto handle = generator_.Stream(request, [turn](const llm::GenerationEvent& e) { turn->On(e); });
  if (!handle) return handle.error();
  turn->Attach(*handle);
  return std::shared_ptr<ChatTurn>(turn);
}

Result<TurnResult> ChatService::Send(const TurnOptions& options) {
  auto plan = PlanSend(options);
  if (!plan) return plan.error();
  return Run(std::move(*plan));
}

Result<TurnResult> ChatService::Regenerate(const RegenerateOptions& options) {
  auto plan = PlanRegenerate(options);
  if (!plan) return plan.error();
  return Run(std::move(*plan));
}

Result<std::shared_ptr<ChatTurn>> ChatService::Stream(const TurnOptions& options, ChatSink sink) {
  auto plan = PlanSend(options);
  if (!plan) return plan.error();
  return Start(std::move(*plan), std::move(sink));
}

Result<std::shared_ptr<ChatTurn>> ChatService::StreamRegenerate(const RegenerateOptions& options, ChatSink sink) {
  auto plan = PlanRegenerate(options);
  if (!plan) return plan.error();
  return Start(std::move(*plan), std::move(sink));
}

}  // namespace atrium::core::chat
