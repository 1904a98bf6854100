#pragma once
// Internal to the gateway: one configured upstream and its state.

#include <memory>
#include <string>

#include "core/llm/gateway.hpp"

namespace atrium::core::llm {

struct Gateway::Upstream {
  Upstream(UpstreamConfig c, ModelCatalog* external, net::HttpFetcher& fetcher, const Clock& clock);

  // A request to {base_url}{path}, with the API key and this upstream's deadlines.
  net::FetchRequest Request(const std::string& path, std::string body) const;

  UpstreamConfig config;
  std::unique_ptr<ModelCatalog> owned_catalog;
  ModelCatalog* catalog;
  UpstreamSlots slots;
  std::string base;  // base_url without a trailing '/'
};

// Starts a streamed chat completion on `upstream` (which must outlive it).
Result<std::shared_ptr<GenerationHandle>> StartStream(Gateway::Upstream& upstream, ModelInfo model,
                                                      const GenerationRequest& request, GenerationSink sink,
                                                      net::HttpFetcher& fetcher, const Clock& clock,
                                                      metrics::InferenceStats* stats);

// The backoff before retry `attempt` (1 = the first retry): base * 2^(attempt-1),
// raised to the upstream's Retry-After (seconds) when it gave one, capped at 5 s.
std::chrono::milliseconds RetryDelay(const UpstreamConfig& config, int attempt, const net::HeaderList& headers);

}  // namespace atrium::core::llm
