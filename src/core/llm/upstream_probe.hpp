#pragma once
// The "inference" health probe for an OpenAI-compatible upstream: GET {base}/models,
// healthy when it answers 200 with a model list. Reports the configured model, or the
// first one the upstream lists.

#include <string>

#include "core/clock.hpp"
#include "core/health/health_service.hpp"
#include "core/net/http_fetcher.hpp"

namespace atrium::core::llm {

struct UpstreamSettings {
  std::string base_url;  // e.g. http://127.0.0.1:8080/v1
  std::string api_key;   // sent as a bearer token when set
  std::string model;     // the default model; empty: the first listed
  std::chrono::milliseconds timeout{3000};
  std::string ca_file;  // https: trusted CAs instead of the system's
};

class UpstreamProbe final : public health::HealthProbe {
 public:
  UpstreamProbe(UpstreamSettings settings, net::HttpFetcher& fetcher, const Clock& clock)
      : settings_(std::move(settings)), fetcher_(fetcher), clock_(clock) {}
  std::string name() const override { return "inference"; }
  bool critical() const override { return false; }
  health::ProbeResult Check() override;

 private:
  UpstreamSettings settings_;
  net::HttpFetcher& fetcher_;
  const Clock& clock_;
};

}  // namespace atrium::core::llm
