#pragma once
// The speech core as the configuration asks for it (speech.*): the decoder, the
// speech-to-text and text-to-speech engines (embedded, HTTP or off) and the service over
// them, plus one health probe per configured engine. Engines load their models on first
// use, so building this costs nothing at start-up.

#include <memory>

#include "app/config.hpp"
#include "core/clock.hpp"
#include "core/health/health_service.hpp"
#include "core/metrics/speech_stats.hpp"
#include "core/net/http_fetcher.hpp"
#include "core/random.hpp"
#include "core/speech/speech_service.hpp"

namespace atrium::app {

class SpeechParts {
 public:
  // `fetcher` and `random` must outlive the result.
  SpeechParts(const Config& config, core::net::HttpFetcher& fetcher, core::Random& random);
  ~SpeechParts();
  SpeechParts(const SpeechParts&) = delete;
  SpeechParts& operator=(const SpeechParts&) = delete;

  // "speech_to_text" and "text_to_speech", non-critical, each only when its engine is on.
  void AddProbes(core::health::HealthService& health, const core::Clock& clock);

  core::speech::SpeechService& service() { return *service_; }
  const core::metrics::SpeechStats& stats() const { return stats_; }

 private:
  struct Engines;
  std::unique_ptr<Engines> engines_;
  core::metrics::SpeechStats stats_;
  std::unique_ptr<core::speech::SpeechService> service_;
};

}  // namespace atrium::app
