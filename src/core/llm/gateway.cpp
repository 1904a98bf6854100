#include "core/llm/gateway.hpp"

#include <future>
#include <thread>

#include "core/llm/gateway_upstream.hpp"
#include "core/llm/not_configured.hpp"
#include "core/llm/upstream_protocol.hpp"

namespace atrium::core::llm {

Gateway::Upstream::Upstream(UpstreamConfig c, ModelCatalog* external, net::HttpFetcher& fetcher, const Clock& clock)
    : config(std::move(c)), catalog(external), slots(config.max_concurrent, config.max_queue) {
  if (catalog == nullptr) {
    CatalogOptions options;
    options.upstream_name = config.name;
    options.configured_models = config.models;
    options.pricing = config.pricing;
    owned_catalog =
        std::make_unique<ModelCatalog>(config.settings, fetcher, clock, std::chrono::seconds(60), std::move(options));
    catalog = owned_catalog.get();
  }
  base = config.settings.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
}

net::FetchRequest Gateway::Upstream::Request(const std::string& path, std::string body) const {
  net::FetchRequest r;
  r.method = "POST";
  r.url = base + path;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "application/json");
  if (!config.settings.api_key.empty()) r.headers.emplace_back("Authorization", "Bearer " + config.settings.api_key);
  r.connect_timeout = config.connect_timeout;
  r.header_timeout = config.first_token_timeout;
  r.idle_timeout = config.idle_timeout;
  r.ca_file = config.ca_file;
  return r;
}

std::optional<double> CostOf(const ModelInfo& model, const TokenUsage& usage) {
  if (!model.prompt_price && !model.completion_price) return std::nullopt;
  return model.prompt_price.value_or(0) * static_cast<double>(usage.prompt_tokens) +
         model.completion_price.value_or(0) * static_cast<double>(usage.completion_tokens);
}

Gateway::Gateway(net::HttpFetcher& fetcher, const Clock& clock, metrics::InferenceStats* stats)
    : fetcher_(fetcher), clock_(clock), stats_(stats) {}

Gateway::~Gateway() = default;

void Gateway::AddUpstream(UpstreamConfig config, ModelCatalog* catalog) {
  upstreams_.push_back(std::make_unique<Upstream>(std::move(config), catalog, fetcher_, clock_));
}

std::string Gateway::DefaultModel() {
  for (const auto& up : upstreams_) {
    if (!up->config.settings.model.empty()) return up->config.settings.model;
  }
  for (const auto& up : upstreams_) {
    auto id = up->catalog->DefaultModel();
    if (!id.empty()) return id;
  }
  return {};
}

Result<std::vector<ModelInfo>> Gateway::Models() { return AllModels(false); }

Result<std::vector<ModelInfo>> Gateway::RefreshModels() { return AllModels(true); }

Result<std::vector<ModelInfo>> Gateway::AllModels(bool refresh) {
  if (upstreams_.empty()) return NotConfiguredError();
  std::vector<ModelInfo> all;
  std::optional<Error> first_error;
  for (const auto& up : upstreams_) {
    auto models = refresh ? up->catalog->Refresh() : up->catalog->Models();
    if (!models) {
      if (!first_error) first_error = models.error();
      continue;
    }
    for (auto& m : *models) all.push_back(std::move(m));
  }
  if (all.empty() && first_error) return *first_error;
  return all;
}

Result<ModelInfo> Gateway::Find(const std::string& model_id) {
  auto route = RouteModel(model_id);
  if (!route) return route.error();
  return route->model;
}

Result<Gateway::Route> Gateway::RouteModel(const std::string& requested) {
  if (upstreams_.empty()) return NotConfiguredError();
  const std::string id = requested.empty() ? DefaultModel() : requested;
  std::optional<Error> unreachable;
  for (const auto& up : upstreams_) {
    auto models = up->catalog->Models();
    if (!models) {
      if (!unreachable) unreachable = models.error();
      continue;
    }
    for (const auto& m : *models) {
      if (m.id == id) return Route{up.get(), m};
    }
  }
  // An upstream whose list cannot be had may serve it: say it is unavailable rather
  // than that the model does not exist.
  if (unreachable) return *unreachable;
  if (id.empty())
    return Error(ErrorCode::kUnavailable, "No LLM model is available").WithReason(Reason::kLlmUnavailable);
  return Error(ErrorCode::kNotFound, "The model '" + id + "' does not exist").WithReason(Reason::kModelNotFound);
}

// One admitted, retried POST. Blocks.
Result<net::FetchResponse> Gateway::Post(Upstream& up, const std::string& path, std::string body) {
  std::promise<void> admitted;
  auto ready = admitted.get_future();
  auto ticket = up.slots.Acquire([&admitted] { admitted.set_value(); });
  if (!ticket) return ticket.error();
  if (ready.wait_for(up.config.first_token_timeout) != std::future_status::ready) {
    if (up.slots.Withdraw(*ticket)) {
      return Error(ErrorCode::kResourceExhausted, "The LLM upstream is busy; try again shortly",
                   "waited for a slot past the deadline")
          .WithReason(Reason::kLlmBusy);
    }
    ready.wait();  // it was admitted just now
  }
  struct SlotRelease {
    UpstreamSlots& slots;
    ~SlotRelease() { slots.Release(); }
  } release{up.slots};

  const auto request = up.Request(path, std::move(body));
  for (int attempt = 0;; ++attempt) {
    auto answer = fetcher_.Send(request);
    const bool retry_left = attempt < up.config.max_retries;
    if (!answer) {
      if (retry_left) {
        std::this_thread::sleep_for(RetryDelay(up.config, attempt + 1, {}));
        continue;
      }
      return Error(ErrorCode::kUnavailable, "The LLM upstream is unavailable", answer.error().internal_message())
          .WithReason(Reason::kLlmUnavailable);
    }
    if (answer->status == 200) return answer;
    if (protocol::Retryable(answer->status) && retry_left) {
      std::this_thread::sleep_for(RetryDelay(up.config, attempt + 1, answer->headers));
      continue;
    }
    return protocol::DecodeError(answer->status, answer->body);
  }
}

Result<GenerationResult> Gateway::Generate(const GenerationRequest& request) {
  auto route = RouteModel(request.model);
  if (!route) return route.error();
  const auto start = clock_.Steady();
  auto answer = Post(*route->upstream, "/chat/completions", protocol::ChatRequestBody(request, route->model.id, false));
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Steady() - start);
  if (!answer) {
    if (stats_) stats_->Record(false, elapsed, 0, 0);
    return answer.error();
  }
  auto result = protocol::DecodeChatResponse(answer->body);
  if (!result) {
    if (stats_) stats_->Record(false, elapsed, 0, 0);
    return result.error();
  }
  if (result->model.empty()) result->model = route->model.id;
  result->upstream = route->upstream->config.name;
  if (result->usage.total_tokens == 0 && result->usage.completion_tokens == 0) {
    std::int64_t prompt = protocol::EstimateTokens(request.system_prompt);
    for (const auto& m : request.messages) prompt += protocol::EstimateTokens(m.content);
    result->usage.prompt_tokens = prompt;
    result->usage.completion_tokens = protocol::EstimateTokens(result->content);
    result->usage.total_tokens = prompt + result->usage.completion_tokens;
    result->usage.estimated = true;
  }
  result->generation_time = elapsed;
  result->time_to_first_token = elapsed;
  result->cost_usd = CostOf(route->model, result->usage);
  if (stats_) {
    stats_->Record(true, elapsed, static_cast<std::uint64_t>(std::max<std::int64_t>(0, result->usage.prompt_tokens)),
                   static_cast<std::uint64_t>(std::max<std::int64_t>(0, result->usage.completion_tokens)));
  }
  return result;
}

Result<std::shared_ptr<GenerationHandle>> Gateway::Stream(const GenerationRequest& request, GenerationSink sink) {
  auto route = RouteModel(request.model);
  if (!route) return route.error();
  return StartStream(*route->upstream, route->model, request, std::move(sink), fetcher_, clock_, stats_);
}

Result<EmbeddingResult> Gateway::Embed(const EmbeddingRequest& request) {
  auto route = RouteModel(request.model);
  if (!route) return route.error();
  auto answer = Post(*route->upstream, "/embeddings", protocol::EmbeddingRequestBody(request, route->model.id));
  if (!answer) return answer.error();
  auto result = protocol::DecodeEmbeddingResponse(answer->body);
  if (!result) return result.error();
  if (result->model.empty()) result->model = route->model.id;
  if (result->usage.total_tokens == 0) {
    std::int64_t tokens = 0;
    for (const auto& s : request.inputs) tokens += protocol::EstimateTokens(s);
    result->usage = {tokens, 0, tokens, true};
  }
  result->cost_usd = CostOf(route->model, result->usage);
  return result;
}

Result<ImageResult> Gateway::GenerateImage(const ImageRequest& request) {
  auto route = RouteModel(request.model);
  if (!route) return route.error();
  auto answer = Post(*route->upstream, "/images/generations", protocol::ImageRequestBody(request, route->model.id));
  if (!answer) return answer.error();
  return protocol::DecodeImageResponse(answer->body);
}

Gateway::Load Gateway::CurrentLoad() const {
  Load load;
  for (const auto& up : upstreams_) {
    load.active += up->slots.active();
    load.waiting += up->slots.waiting();
  }
  return load;
}

}  // namespace atrium::core::llm
