#pragma once
// A speech-to-text engine: mono audio at its sample rate in, text out. Embedded
// (pocketsphinx) or an OpenAI-compatible /audio/transcriptions upstream.

#include <chrono>
#include <string>
#include <string_view>

#include "core/audio/pcm_audio.hpp"
#include "core/result.hpp"
#include "core/speech/engine_status.hpp"

namespace atrium::core::speech {

struct SttOptions {
  std::string language = "en";
  std::string prompt;  // a hint (names, terms), where the engine takes one
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

struct Transcript {
  std::string text;
  double confidence = -1;  // 0-1, -1 when the engine does not say
  std::string language;
};

class SpeechToText {
 public:
  virtual ~SpeechToText() = default;
  virtual std::string_view name() const = 0;
  // The rate (Hz) Transcribe wants its mono audio at.
  virtual int sample_rate() const = 0;
  // Blocking; call from a worker. kUnavailable (kSpeechUnavailable) when the engine
  // cannot work, kUnavailable (kSpeechTimeout) past the deadline. Thread-safe.
  virtual Result<Transcript> Transcribe(const audio::PcmAudio& mono, const SttOptions& options) = 0;
  virtual EngineStatus Status() = 0;
};

}  // namespace atrium::core::speech
