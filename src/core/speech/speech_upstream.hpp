#pragma once
// An OpenAI-compatible speech upstream (whisper.cpp's server, faster-whisper servers,
// LocalAI, Piper or Kokoro behind an OpenAI-style API): where it is, how long to wait,
// and the gateway's retry rule: only connect failures and 408/409/429/5xx are tried
// again, after base * 2^(n-1) (raised to Retry-After, capped at 5 s), and never past the
// job's deadline.

#include <chrono>
#include <string>
#include <vector>

#include "core/net/http_fetcher.hpp"
#include "core/result.hpp"
#include "core/speech/engine_status.hpp"

namespace atrium::core::speech {

struct SpeechUpstreamConfig {
  std::string base_url;  // e.g. http://127.0.0.1:8090/v1
  std::string api_key;
  std::string model;     // sent as `model`; an upstream with one model ignores it
  std::string voice;     // text-to-speech: the default voice
  std::vector<std::string> voices;  // text-to-speech: the voices offered; empty: just `voice`
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{120000};  // one attempt, request sent to answer read
  int max_retries = 2;
  std::chrono::milliseconds retry_backoff{200};
  std::string ca_file;
};

class SpeechUpstream {
 public:
  SpeechUpstream(SpeechUpstreamConfig config, net::HttpFetcher& fetcher);

  // POSTs `body` to {base_url}{path} with retries; any 2xx answer is returned, anything
  // else becomes kUnavailable with kSpeechUnavailable (or kSpeechTimeout past the deadline).
  Result<net::FetchResponse> Post(const std::string& path, const std::string& content_type, const std::string& body,
                                  std::chrono::steady_clock::time_point deadline);
  // GET {base_url}/models, timed: whether the upstream answers at all.
  EngineStatus Probe(const std::string& engine_name);
  const SpeechUpstreamConfig& config() const { return config_; }

 private:
  SpeechUpstreamConfig config_;
  std::string base_;
  net::HttpFetcher& fetcher_;
};

}  // namespace atrium::core::speech
