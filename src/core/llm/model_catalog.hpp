#pragma once
// The models an OpenAI-compatible upstream offers, as GET {base}/models lists them,
// cached for a while so the dialects' model lists do not hit the upstream per request.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/llm/upstream_probe.hpp"
#include "core/net/http_fetcher.hpp"
#include "core/result.hpp"

namespace atrium::core::llm {

struct ModelInfo {
  std::string id;
  std::string owned_by;  // empty when the upstream does not say
  // From llama.cpp's meta.n_ctx_train, or a context_length field; unset when the
  // upstream gives neither.
  std::optional<std::int64_t> context_length;
  // The configured model; with none configured, the first one listed.
  bool is_default = false;
  std::string name;      // a display name (OpenRouter's "name"), else the id
  std::string provider;  // the id's "provider/" prefix, or owned_by, or the upstream's name
  std::string upstream;  // the configured upstream that serves it
  // USD per token, from the upstream's list (OpenRouter's pricing) or from config.
  std::optional<double> prompt_price;
  std::optional<double> completion_price;
  // OpenRouter's descriptive fields; empty or unset when the upstream gives none.
  std::string description;
  std::optional<std::int64_t> max_completion_tokens;  // top_provider.max_completion_tokens
  std::string modality;                               // architecture.modality ("text->text")
  std::string tokenizer;                              // architecture.tokenizer
  std::string instruct_type;                          // architecture.instruct_type
};

struct ModelPricing {
  double prompt = 0;      // USD per prompt token
  double completion = 0;  // USD per completion token
};

// What config adds to (or puts instead of) the upstream's own list.
struct CatalogOptions {
  std::string upstream_name = "default";
  // When not empty, these are the models, and the upstream is never asked for its list.
  std::vector<std::string> configured_models;
  // Prices for models whose upstream list gives none (config wins when both do).
  std::map<std::string, ModelPricing> pricing;
};

// A catalog's state without asking the upstream (for scrapes and status pages).
struct CatalogSnapshot {
  bool configured = false;
  std::optional<std::vector<ModelInfo>> models;  // the last list had, if any
  std::chrono::steady_clock::duration age{};     // since it was had
};

// Thread-safe. Models() blocks on the upstream when the cache is cold or expired, so
// call it from a worker thread; only one refresh runs at a time.
class ModelCatalog {
 public:
  ModelCatalog(UpstreamSettings settings, net::HttpFetcher& fetcher, const Clock& clock,
               std::chrono::seconds ttl = std::chrono::seconds(60), CatalogOptions options = {});

  // The upstream's list, at most `ttl` old. When a refresh fails within kStaleFor of
  // the last success, the last list is served. Errors are kUnavailable with reason
  // "llm_not_configured" (no base URL) or "llm_unavailable" (the upstream failed).
  Result<std::vector<ModelInfo>> Models();

  // The configured model; with none configured, the first one the upstream lists
  // (empty when that list cannot be had).
  std::string DefaultModel();

  // Asks the upstream now, whatever the cache's age, and caches the answer. On failure
  // the cache is left as it was and the error is returned (no stale list is served).
  Result<std::vector<ModelInfo>> Refresh();

  // Never blocks: what the last refresh found.
  CatalogSnapshot Cached() const;

  const std::string& upstream_name() const { return options_.upstream_name; }
  const UpstreamSettings& settings() const { return settings_; }

  static constexpr std::chrono::minutes kStaleFor{10};

 private:
  Result<std::vector<ModelInfo>> Fetch() const;
  bool FreshLocked(std::chrono::steady_clock::time_point now) const;
  bool ServableLocked(std::chrono::steady_clock::time_point now) const;
  void Complete(ModelInfo& info) const;

  const UpstreamSettings settings_;
  net::HttpFetcher& fetcher_;
  const Clock& clock_;
  const std::chrono::seconds ttl_;
  const CatalogOptions options_;

  std::mutex refresh_mu_;  // held while a refresh talks to the upstream
  mutable std::mutex mu_;  // guards the fields below
  std::optional<std::vector<ModelInfo>> models_;
  std::chrono::steady_clock::time_point fetched_at_{};
};

}  // namespace atrium::core::llm
