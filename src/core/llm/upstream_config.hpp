#pragma once
// One configured OpenAI-compatible upstream, as the gateway uses it.

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/llm/model_catalog.hpp"
#include "core/llm/upstream_probe.hpp"

namespace atrium::core::llm {

struct UpstreamConfig {
  std::string name = "default";
  // base_url, api_key, the default model and the model-list timeout.
  UpstreamSettings settings;
  // When not empty, the models it serves; otherwise they are discovered (GET /models).
  std::vector<std::string> models;
  std::map<std::string, ModelPricing> pricing;  // USD per token, by model id
  std::chrono::milliseconds connect_timeout{5000};
  // From the request until the upstream's answer header (and, not streaming, the answer).
  std::chrono::milliseconds first_token_timeout{120000};
  // The longest silence inside a streamed answer.
  std::chrono::milliseconds idle_timeout{60000};
  std::size_t max_concurrent = 16;
  std::size_t max_queue = 64;
  // Attempts after the first, only before the first token; the backoff doubles each time.
  int max_retries = 2;
  std::chrono::milliseconds retry_backoff{200};
  std::string ca_file;  // https: trusted CAs instead of the system's
};

}  // namespace atrium::core::llm
