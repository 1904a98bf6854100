#pragma once
// Counters and stage timings of the speech core, for every dialect's metrics.

#include <atomic>
#include <cstdint>

#include "core/metrics/latency_histogram.hpp"

namespace atrium::core::metrics {

struct SpeechStageStats {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> failures{0};
  std::atomic<std::uint64_t> audio_ms{0};  // audio in (STT, decode) or out (TTS)
  LatencyHistogram latency;                // wall time of the stage
};

struct SpeechStats {
  SpeechStageStats decode;
  SpeechStageStats stt;
  SpeechStageStats tts;
  std::atomic<std::uint64_t> busy{0};      // refused: every slot taken and the queue full
  std::atomic<std::uint64_t> timeouts{0};  // a job past its deadline
  std::atomic<std::uint64_t> invalid_audio{0};
};

}  // namespace atrium::core::metrics
