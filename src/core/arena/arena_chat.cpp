#include "core/arena/arena_chat.hpp"

#include "core/assistants/sampling.hpp"
#include "core/quota/token_quota.hpp"

#include <atomic>
#include <boost/json.hpp>
#include <cctype>
#include <mutex>

namespace atrium::core::arena {

namespace {

namespace json = boost::json;

bool Blank(std::string_view s) {
  for (const char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string MetadataJson(const llm::GenerationResult& r) {
  json::object o{
      {"model_id", r.model},
      {"tokens",
       {{"prompt", r.usage.prompt_tokens}, {"completion", r.usage.completion_tokens}, {"total", r.usage.total_tokens}}},
      {"tokens_estimated", r.usage.estimated},
      {"generation_time_ms", r.generation_time.count()},
      {"first_token_ms", r.time_to_first_token.count()},
      {"finish_reason", r.finish_reason},
      {"stopped", r.finish_reason == "cancelled"}};
  o["cost_usd"] = r.cost_usd ? json::value(*r.cost_usd) : json::value(nullptr);
  return json::serialize(o);
}

// One configuration's answer.
struct Lane {
  std::string config_id;
  std::string message_id;
  std::shared_ptr<llm::GenerationHandle> handle;
  bool finished = false;
};

class StreamedArena final : public ArenaTurn, public std::enable_shared_from_this<StreamedArena> {
 public:
  StreamedArena(ArenaSession session, std::string user_id, ArenaSink sink, ArenaService& sessions,
                chat::ConversationStore& usage, WorkerPool& background)
      : session_(std::move(session)),
        user_id_(std::move(user_id)),
        sink_(std::move(sink)),
        sessions_(sessions),
        usage_(usage),
        background_(background) {}

  void Cancel() override {
    std::vector<std::shared_ptr<llm::GenerationHandle>> running;
    {
      std::lock_guard lock(mu_);
      cancelled_ = true;
      for (auto& lane : lanes_) {
        if (lane.handle) running.push_back(lane.handle);
      }
    }
    for (auto& h : running) h->Cancel();
  }

  const ArenaSession& session() const override { return session_; }
  bool finished() const override { return remaining_.load() == 0; }

  std::size_t AddLane(std::string config_id, std::string message_id) {
    std::lock_guard lock(mu_);
    lanes_.push_back({std::move(config_id), std::move(message_id), nullptr, false});
    remaining_.fetch_add(1);
    return lanes_.size() - 1;
  }

  void Attach(std::size_t lane, std::shared_ptr<llm::GenerationHandle> handle) {
    bool cancel_now = false;
    {
      std::lock_guard lock(mu_);
      if (lanes_[lane].finished) return;  // it already ended (an error, or a very quick answer)
      lanes_[lane].handle = handle;
      cancel_now = cancelled_;
    }
    if (cancel_now) handle->Cancel();
  }

  // Session and user-message events, before any answer starts.
  void Announce(ArenaEvent e) { Emit(e); }

  // The lane could not start: nothing is stored for it.
  void Fail(std::size_t lane, const Error& error) {
    if (!Finish(lane)) return;
    ArenaEvent e = Base(ArenaEventType::kError, lane);
    e.error = error;
    Emit(e);
  }

  void On(std::size_t lane, const llm::GenerationEvent& g) {
    switch (g.type) {
      case llm::GenerationEventType::kStarted: {
        ArenaEvent e = Base(ArenaEventType::kStarted, lane);
        e.model = g.model;
        Emit(e);
        return;
      }
      case llm::GenerationEventType::kDelta: {
        ArenaEvent e = Base(ArenaEventType::kDelta, lane);
        e.delta = g.delta;
        Emit(e);
        return;
      }
      case llm::GenerationEventType::kUsage:
        return;  // part of kDone
      case llm::GenerationEventType::kError:
        Fail(lane, *g.error);
        return;
      case llm::GenerationEventType::kDone: {
        if (!Finish(lane)) return;
        ArenaMessage answer;
        {
          std::lock_guard lock(mu_);
          answer.id = lanes_[lane].message_id;
          answer.config_id = lanes_[lane].config_id;
        }
        answer.session_id = session_.id;
        answer.role = "assistant";
        answer.content = g.result.content;
        answer.metadata_json = MetadataJson(g.result);
        const std::int64_t tokens = g.result.usage.total_tokens;
        // Storing blocks (SQLite): off the network thread when the pool has room.
        auto self = shared_from_this();
        auto store = [self, lane, answer = std::move(answer), tokens]() mutable {
          self->Store(lane, std::move(answer), tokens);
        };
        if (!background_.TrySubmit(store)) store();
        return;
      }
    }
  }

 private:
  ArenaEvent Base(ArenaEventType type, std::size_t lane) {
    ArenaEvent e{type, &session_};
    std::lock_guard lock(mu_);
    e.config_id = lanes_[lane].config_id;
    e.message_id = lanes_[lane].message_id;
    return e;
  }

  // Marks the lane ended; false when it already had. Lets go of its generation, so
  // that neither keeps the other alive.
  bool Finish(std::size_t lane) {
    std::lock_guard lock(mu_);
    if (lanes_[lane].finished) return false;
    lanes_[lane].finished = true;
    lanes_[lane].handle.reset();
    return true;
  }

  void Store(std::size_t lane, ArenaMessage answer, std::int64_t tokens) {
    auto stored = sessions_.Append(user_id_, std::move(answer));
    if (!stored) {
      ArenaEvent e = Base(ArenaEventType::kError, lane);
      e.error = stored.error();
      Emit(e);
      return;
    }
    (void)usage_.AddUsage(user_id_, tokens);  // the answer stands even if counting fails
    ArenaEvent e = Base(ArenaEventType::kDone, lane);
    e.message = &*stored;
    Emit(e);
  }

  void Emit(ArenaEvent& e) {
    std::lock_guard lock(sink_mu_);
    // Counted first: a sink that sees the last answer end finds the turn finished.
    if (e.type == ArenaEventType::kDone || e.type == ArenaEventType::kError) e.last = remaining_.fetch_sub(1) == 1;
    sink_(e);
  }

  const ArenaSession session_;
  const std::string user_id_;
  ArenaSink sink_;
  ArenaService& sessions_;
  chat::ConversationStore& usage_;
  WorkerPool& background_;
  std::mutex sink_mu_;  // one sink call at a time
  std::mutex mu_;
  std::vector<Lane> lanes_;
  bool cancelled_ = false;
  std::atomic<std::size_t> remaining_{0};
};

}  // namespace

ArenaChat::ArenaChat(ArenaService& sessions, assistants::AssistantConfigService& configs,
                     chat::ConversationStore& usage, llm::Generator& generator, WorkerPool& background, Random& random)
    : sessions_(sessions),
      configs_(configs),
      usage_(usage),
      generator_(generator),
      background_(background),
      random_(random) {}

Result<std::shared_ptr<ArenaTurn>> ArenaChat::Stream(const ArenaTurnOptions& o, ArenaSink sink) {
  if (Blank(o.content)) {
    return Error(ErrorCode::kInvalidArgument, "The message must not be empty").WithReason(Reason::kInvalidMessage);
  }
  auto allowance = quota::TokenQuota(usage_).Check(o.user_id);
  if (!allowance) return allowance.error();

  ArenaSession session;
  std::vector<ArenaMessage> history;
  const bool created = o.session_id.empty();
  if (created) {
    auto made = sessions_.Create(o.user_id, o.config_ids, o.title);
    if (!made) return made.error();
    session = std::move(*made);
  } else {
    auto detail = sessions_.Detail(o.user_id, o.session_id);
    if (!detail) return detail.error();
    session = std::move(detail->session);
    history = std::move(detail->messages);
  }

  ArenaMessage question;
  question.session_id = session.id;
  question.role = "user";
  question.content = o.content;
  auto asked = sessions_.Append(o.user_id, std::move(question));
  if (!asked) return asked.error();
  session.message_count += 1;

  auto turn = std::make_shared<StreamedArena>(session, o.user_id, std::move(sink), sessions_, usage_, background_);
  // Announced through the turn, so the sink is never called twice at once.
  {
    ArenaEvent e{ArenaEventType::kSessionCreated, &turn->session()};
    if (created) turn->Announce(e);
    ArenaEvent u{ArenaEventType::kUserMessage, &turn->session()};
    u.message = &*asked;
    turn->Announce(u);
  }
  history.push_back(*asked);

  // Every lane first, so the turn is not finished before the last one starts.
  const auto& config_ids = turn->session().config_ids;
  for (const auto& config_id : config_ids) turn->AddLane(config_id, NewUuid(random_));
  for (std::size_t lane = 0; lane < config_ids.size(); ++lane) {
    const std::string& config_id = config_ids[lane];
    auto config = configs_.Get(o.user_id, config_id);
    if (!config) {
      turn->Fail(lane, config.error());
      continue;
    }
    llm::GenerationRequest request;
    request.model = config->model_id;
    request.system_prompt = config->system_prompt;
    request.sampling = assistants::SamplingFrom(config->parameters);
    request.sampling.max_tokens = allowance->Cap(request.sampling.max_tokens);
    request.user = o.user_id;
    for (const auto& m : history) {
      if (m.role == "user" || m.config_id == config_id) request.messages.push_back({m.role, m.content});
    }
    auto started = generator_.Stream(request, [turn, lane](const llm::GenerationEvent& e) { turn->On(lane, e); });
    if (!started) {
      turn->Fail(lane, started.error());
      continue;
    }
    turn->Attach(lane, *started);
  }
  return std::shared_ptr<ArenaTurn>(turn);
}

}  // namespace atrium::core::arena
