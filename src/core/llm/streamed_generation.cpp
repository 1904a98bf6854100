#include <mutex>

#include "core/llm/gateway_upstream.hpp"
#include "core/llm/sse_parser.hpp"
#include "core/llm/upstream_protocol.hpp"

namespace atrium::core::llm {

namespace {

constexpr std::size_t kMaxErrorBody = 64 * 1024;

// One streamed generation, from admission to its last event. Network callbacks run on
// the fetcher's thread one at a time; Cancel may come from any thread.
class StreamedGeneration final : public GenerationHandle, public std::enable_shared_from_this<StreamedGeneration> {
 public:
  StreamedGeneration(Gateway::Upstream& upstream, ModelInfo model, std::string body, GenerationSink sink,
                     net::HttpFetcher& fetcher, const Clock& clock, metrics::InferenceStats* stats)
      : upstream_(upstream),
        model_(std::move(model)),
        body_(std::move(body)),
        sink_(std::move(sink)),
        fetcher_(fetcher),
        clock_(clock),
        stats_(stats),
        started_at_(clock.Steady()) {}

  void SetTicket(std::uint64_t ticket) {
    std::lock_guard lock(mu_);
    ticket_ = ticket;
  }

  // Runs once a slot is ours.
  void Admitted() {
    {
      std::lock_guard lock(mu_);
      admitted_ = true;
    }
    Attempt(std::chrono::milliseconds(0));
  }

  void Cancel() override {
    std::shared_ptr<net::StreamHandle> net;
    bool never_started = false;
    {
      std::lock_guard lock(mu_);
      if (cancelled_ || finished_) return;
      cancelled_ = true;
      net = net_;
      if (!admitted_ && ticket_ != 0 && upstream_.slots.Withdraw(ticket_)) never_started = true;
    }
    if (never_started) {
      FinishCancelled();
      return;
    }
    if (net) net->Cancel();
  }

 private:
  void Attempt(std::chrono::milliseconds delay) {
    auto request = upstream_.Request("/chat/completions", body_);
    request.headers.emplace_back("Accept", "text/event-stream");
    request.start_delay = delay;
    ++attempts_;
    status_ = 0;
    error_body_.clear();
    response_headers_.clear();
    parser_ = SseParser();
    auto self = shared_from_this();
    net::StreamCallbacks callbacks;
    callbacks.on_head = [self](int status, const net::HeaderList& headers) { return self->OnHead(status, headers); };
    callbacks.on_data = [self](std::string_view data) { return self->OnData(data); };
    callbacks.on_end = [self](Result<void> end) { self->OnEnd(std::move(end)); };
    auto handle = fetcher_.Stream(std::move(request), std::move(callbacks));
    if (!handle) {
      Fail(Error(ErrorCode::kUnavailable, "The LLM upstream is unavailable", handle.error().internal_message())
               .WithReason(Reason::kLlmUnavailable));
      return;
    }
    bool cancel_now = false;
    {
      std::lock_guard lock(mu_);
      net_ = *handle;
      cancel_now = cancelled_;
    }
    if (cancel_now) (*handle)->Cancel();
  }

  bool OnHead(int status, const net::HeaderList& headers) {
    status_ = status;
    response_headers_ = headers;
    if (status == 200 && !started_) {
      started_ = true;
      GenerationEvent e{GenerationEventType::kStarted};
      e.model = model_.id;
      sink_(e);
    }
    return true;
  }

  bool OnData(std::string_view data) {
    if (status_ != 200) {
      if (error_body_.size() + data.size() > kMaxErrorBody) return false;
      error_body_.append(data);
      return true;
    }
    bool keep_going = true;
    const bool ok = parser_.Feed(data, [&](const SseEvent& event) {
      if (!keep_going) return;
      auto chunk = protocol::DecodeStreamChunk(event.data);
      if (!chunk) {
        stream_error_ = chunk.error();
        keep_going = false;
        return;
      }
      if (chunk->error) {
        stream_error_ = *chunk->error;
        keep_going = false;
        return;
      }
      if (chunk->done) {
        saw_done_ = true;
        keep_going = false;  // nothing follows [DONE]: the connection can close now
        return;
      }
      if (!chunk->model.empty()) upstream_model_ = chunk->model;
      if (chunk->usage) usage_ = *chunk->usage;
      if (chunk->finish_reason) finish_reason_ = *chunk->finish_reason;
      if (!chunk->delta.empty()) {
        if (content_.empty()) first_token_at_ = clock_.Steady();
        content_ += chunk->delta;
        GenerationEvent e{GenerationEventType::kDelta};
        e.delta = std::move(chunk->delta);
        sink_(e);
      }
    });
    if (!ok) {
      stream_error_ = Error(ErrorCode::kUnavailable, "The LLM upstream sent an answer that cannot be read",
                            "stream event over the size bound")
                          .WithReason(Reason::kLlmUnavailable);
      return false;
    }
    return keep_going;
  }

  void OnEnd(Result<void> end) {
    bool cancelled = false;
    {
      std::lock_guard lock(mu_);
      net_.reset();
      cancelled = cancelled_;
    }
    if (cancelled) {
      FinishCancelled();
      return;
    }
    const bool any_token = !content_.empty();
    if (status_ != 0 && status_ != 200) {
      auto error = protocol::DecodeError(status_, error_body_);
      if (protocol::Retryable(status_) && !any_token && attempts_ <= upstream_.config.max_retries) {
        Attempt(RetryDelay(upstream_.config, attempts_, response_headers_));
        return;
      }
      Fail(std::move(error));
      return;
    }
    if (stream_error_) {
      Fail(std::move(*stream_error_));
      return;
    }
    if (saw_done_ || (end.ok() && finish_reason_)) {
      Succeed();
      return;
    }
    // The connection failed or ended before the answer did.
    if (!any_token && attempts_ <= upstream_.config.max_retries) {
      Attempt(RetryDelay(upstream_.config, attempts_, {}));
      return;
    }
    const std::string internal = end.ok() ? std::string("stream ended without [DONE]") : end.error().internal_message();
    if (any_token) {
      Fail(Error(ErrorCode::kUnavailable, "The LLM upstream broke off the answer", internal)
               .WithReason(Reason::kLlmStreamInterrupted));
    } else {
      Fail(Error(ErrorCode::kUnavailable, "The LLM upstream is unavailable", internal)
               .WithReason(Reason::kLlmUnavailable));
    }
  }

  GenerationResult Collect(std::string finish) {
    GenerationResult r;
    r.model = upstream_model_.empty() ? model_.id : upstream_model_;
    r.upstream = upstream_.config.name;
    r.content = content_;
    r.finish_reason = std::move(finish);
    r.usage = usage_.value_or(TokenUsage{});
    if (!usage_) {
      r.usage.prompt_tokens = prompt_estimate_;
      r.usage.completion_tokens = protocol::EstimateTokens(content_);
      r.usage.total_tokens = r.usage.prompt_tokens + r.usage.completion_tokens;
      r.usage.estimated = true;
    }
    const auto now = clock_.Steady();
    r.generation_time = std::chrono::duration_cast<std::chrono::milliseconds>(now - started_at_);
    if (first_token_at_) {
      r.time_to_first_token = std::chrono::duration_cast<std::chrono::milliseconds>(*first_token_at_ - started_at_);
    }
    r.cost_usd = CostOf(model_, r.usage);
    return r;
  }

  void Succeed() {
    if (!MarkFinished()) return;
    GenerationEvent usage{GenerationEventType::kUsage};
    auto result = Collect(finish_reason_.value_or("stop"));
    usage.usage = result.usage;
    if (usage_) sink_(usage);
    Record(true, result);
    GenerationEvent done{GenerationEventType::kDone};
    done.result = std::move(result);
    Release();
    sink_(done);
  }

  void FinishCancelled() {
    if (!MarkFinished()) return;
    GenerationEvent done{GenerationEventType::kDone};
    done.result = Collect("cancelled");
    Record(true, done.result);
    Release();
    sink_(done);
  }

  void Fail(Error error) {
    if (!MarkFinished()) return;
    Record(false, Collect("error"));
    GenerationEvent e{GenerationEventType::kError};
    e.error = std::move(error);
    Release();
    sink_(e);
  }

  bool MarkFinished() {
    std::lock_guard lock(mu_);
    if (finished_) return false;
    finished_ = true;
    return true;
  }

  void Release() {
    bool admitted = false;
    {
      std::lock_guard lock(mu_);
      admitted = admitted_;
    }
    if (admitted) upstream_.slots.Release();
  }

  void Record(bool success, const GenerationResult& r) {
    if (stats_ == nullptr) return;
    stats_->Record(success, std::chrono::duration_cast<std::chrono::microseconds>(r.generation_time),
                   static_cast<std::uint64_t>(std::max<std::int64_t>(0, r.usage.prompt_tokens)),
                   static_cast<std::uint64_t>(std::max<std::int64_t>(0, r.usage.completion_tokens)));
  }

 public:
  std::int64_t prompt_estimate_ = 0;

 private:
  Gateway::Upstream& upstream_;
  const ModelInfo model_;
  const std::string body_;
  const GenerationSink sink_;
  net::HttpFetcher& fetcher_;
  const Clock& clock_;
  metrics::InferenceStats* stats_;
  const std::chrono::steady_clock::time_point started_at_;

  std::mutex mu_;  // guards the four fields below (Cancel races the network thread)
  bool cancelled_ = false;
  bool finished_ = false;
  bool admitted_ = false;
  std::uint64_t ticket_ = 0;
  std::shared_ptr<net::StreamHandle> net_;

  // Network-thread state.
  int attempts_ = 0;
  int status_ = 0;
  net::HeaderList response_headers_;
  std::string error_body_;
  SseParser parser_;
  bool started_ = false;
  bool saw_done_ = false;
  std::optional<Error> stream_error_;
  std::string content_;
  std::string upstream_model_;
  std::optional<TokenUsage> usage_;
  std::optional<std::string> finish_reason_;
  std::optional<std::chrono::steady_clock::time_point> first_token_at_;
};

}  // namespace

Result<std::shared_ptr<GenerationHandle>> StartStream(Gateway::Upstream& upstream, ModelInfo model,
                                                      const GenerationRequest& request, GenerationSink sink,
                                                      net::HttpFetcher& fetcher, const Clock& clock,
                                                      metrics::InferenceStats* stats) {
  const std::string model_id = model.id;
  auto generation = std::make_shared<StreamedGeneration>(upstream, std::move(model),
                                                         protocol::ChatRequestBody(request, model_id, true),
                                                         std::move(sink), fetcher, clock, stats);
  std::int64_t prompt = protocol::EstimateTokens(request.system_prompt);
  for (const auto& m : request.messages) prompt += protocol::EstimateTokens(m.content);
  generation->prompt_estimate_ = prompt;
  auto ticket = upstream.slots.Acquire([generation] { generation->Admitted(); });
  if (!ticket) return ticket.error();
  generation->SetTicket(*ticket);
  return std::shared_ptr<GenerationHandle>(generation);
}

std::chrono::milliseconds RetryDelay(const UpstreamConfig& config, int attempt, const net::HeaderList& headers) {
  constexpr std::chrono::milliseconds kCap{5000};
  auto delay = config.retry_backoff * (1 << std::min(attempt - 1, 10));
  for (const auto& [name, value] : headers) {
    if (name.size() != 11) continue;
    std::string lower;
    for (const char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "retry-after") continue;
    try {
      const auto seconds = std::stoi(value);
      if (seconds > 0) delay = std::max<std::chrono::milliseconds>(delay, std::chrono::seconds(seconds));
    } catch (const std::exception&) {
      // An HTTP date or junk: the computed backoff stands.
    }
  }
  return std::min(delay, kCap);
}

}  // namespace atrium::core::llm
