#include "core/speech/speech_upstream.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "core/llm/upstream_protocol.hpp"

namespace atrium::core::speech {

namespace {

using Clock = std::chrono::steady_clock;

Error Unavailable(const std::string& why) {
  return Error(ErrorCode::kUnavailable, "The speech upstream is unavailable", why).WithReason(Reason::kSpeechUnavailable);
}

std::chrono::milliseconds Backoff(const SpeechUpstreamConfig& c, int attempt, const net::HeaderList& headers) {
  auto delay = c.retry_backoff * (1 << std::min(attempt - 1, 10));
  for (const auto& [name, value] : headers) {
    if (name.size() == 11 && std::equal(name.begin(), name.end(), "retry-after", [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      const long s = std::strtol(value.c_str(), nullptr, 10);
      if (s > 0) delay = std::max(delay, std::chrono::milliseconds(s * 1000));
    }
  }
  return std::min(delay, std::chrono::milliseconds(5000));
}

}  // namespace

SpeechUpstream::SpeechUpstream(SpeechUpstreamConfig config, net::HttpFetcher& fetcher)
    : config_(std::move(config)), fetcher_(fetcher) {
  base_ = config_.base_url;
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
}

Result<net::FetchResponse> SpeechUpstream::Post(const std::string& path, const std::string& content_type,
                                                const std::string& body, Clock::time_point deadline) {
  net::FetchRequest request;
  request.method = "POST";
  request.url = base_ + path;
  if (!config_.api_key.empty()) request.headers.emplace_back("Authorization", "Bearer " + config_.api_key);
  request.headers.emplace_back("Content-Type", content_type);
  request.body = body;
  request.connect_timeout = config_.connect_timeout;
  request.ca_file = config_.ca_file;
  std::string last;
  for (int attempt = 0;; ++attempt) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      return Error(ErrorCode::kUnavailable, "Speech job timed out", last).WithReason(Reason::kSpeechTimeout);
    }
    request.header_timeout = std::min(config_.timeout, left);
    request.idle_timeout = request.header_timeout;
    auto r = fetcher_.Send(request);
    net::HeaderList headers;
    bool retry = false;
    if (!r) {
      last = r.error().internal_message();
      retry = r.error().code() == ErrorCode::kUnavailable;
    } else if (r->status >= 200 && r->status < 300) {
      return r;
    } else {
      auto decoded = llm::protocol::DecodeError(r->status, r->body);
      last = "HTTP " + std::to_string(r->status) + ": " + decoded.safe_message();
      retry = llm::protocol::Retryable(r->status);
      headers = r->headers;
    }
    if (!retry || attempt >= config_.max_retries) return Unavailable(last);
    const auto wait = Backoff(config_, attempt + 1, headers);
    if (Clock::now() + wait >= deadline) {
      return Error(ErrorCode::kUnavailable, "Speech job timed out", last).WithReason(Reason::kSpeechTimeout);
    }
    std::this_thread::sleep_for(wait);
  }
}

EngineStatus SpeechUpstream::Probe(const std::string& engine_name) {
  EngineStatus s{.name = engine_name, .kind = "http"};
  net::HeaderList headers;
  if (!config_.api_key.empty()) headers.emplace_back("Authorization", "Bearer " + config_.api_key);
  const auto start = Clock::now();
  auto r = fetcher_.Get(base_ + "/models", headers, std::min(config_.timeout, std::chrono::milliseconds(3000)));
  s.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (!r) {
    s.detail = base_ + ": " + r.error().internal_message();
  } else if (r->status >= 200 && r->status < 300) {
    s.available = true;
    s.detail = base_ + (config_.model.empty() ? "" : " model " + config_.model);
  } else {
    s.detail = base_ + ": HTTP " + std::to_string(r->status);
  }
  return s;
}

}  // namespace atrium::core::speech
