#pragma once
// The LLM gateway: every configured upstream, each model routed to the upstream that
// serves it, admission per upstream (concurrency limit and bounded queue), retries
// with backoff before the first token, streamed answers parsed as they arrive, usage
// (reported or counted), generation time and cost. Embeddings and images go through
// the same upstreams.
//
// Thread-safety: every method may be called from any thread. Generate, Embed,
// GenerateImage and Models block (call them from worker threads); Stream blocks only
// while routing (which may fetch a model list) and then returns.

#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/llm/generation.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/llm/upstream_config.hpp"
#include "core/llm/upstream_slots.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/net/http_fetcher.hpp"

namespace atrium::core::llm {

class Gateway final : public Generator {
 public:
  Gateway(net::HttpFetcher& fetcher, const Clock& clock, metrics::InferenceStats* stats = nullptr);
  ~Gateway() override;

  // Wiring, before the first request. `catalog` (when given) is the catalog this
  // upstream's models come from and must outlive the gateway; otherwise one is made.
  void AddUpstream(UpstreamConfig config, ModelCatalog* catalog = nullptr);
  bool configured() const { return !upstreams_.empty(); }

  Result<GenerationResult> Generate(const GenerationRequest& request) override;
  Result<std::shared_ptr<GenerationHandle>> Stream(const GenerationRequest& request, GenerationSink sink) override;
  std::string DefaultModel() override;

  Result<EmbeddingResult> Embed(const EmbeddingRequest& request);
  Result<ImageResult> GenerateImage(const ImageRequest& request);

  // Every upstream's models, in configuration order. Upstreams that cannot list theirs
  // now are left out; when none can, their error.
  Result<std::vector<ModelInfo>> Models();
  // Like Models, after asking every upstream for its list now (ModelCatalog::Refresh).
  Result<std::vector<ModelInfo>> RefreshModels();
  // A model's entry, when some upstream serves it.
  Result<ModelInfo> Find(const std::string& model_id);

  // Requests running on every upstream now, and those waiting for a slot.
  struct Load {
    std::size_t active = 0;
    std::size_t waiting = 0;
  };
  Load CurrentLoad() const;

  struct Upstream;  // one configured upstream and its state

 private:
  struct Route {
    Upstream* upstream;
    ModelInfo model;
  };
  Result<Route> RouteModel(const std::string& model_id);
  Result<std::vector<ModelInfo>> AllModels(bool refresh);
  Result<net::FetchResponse> Post(Upstream& up, const std::string& path, std::string body);

  net::HttpFetcher& fetcher_;
  const Clock& clock_;
  metrics::InferenceStats* stats_;
  std::vector<std::unique_ptr<Upstream>> upstreams_;
};

// The cost of `usage` at the model's prices; unset when it has none.
std::optional<double> CostOf(const ModelInfo& model, const TokenUsage& usage);

}  // namespace atrium::core::llm
