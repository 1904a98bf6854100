#pragma once
// A text-to-speech engine: text in, mono PCM out. Embedded (espeak-ng) or an
// OpenAI-compatible /audio/speech upstream.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/audio/pcm_audio.hpp"
#include "core/result.hpp"
#include "core/speech/engine_status.hpp"

namespace atrium::core::speech {

struct TtsOptions {
  std::string voice;  // empty: the engine's configured default
  int rate_wpm = 0;   // words per minute; 0: the configured default
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

class TextToSpeech {
 public:
  virtual ~TextToSpeech() = default;
  virtual std::string_view name() const = 0;
  // Blocking; call from a worker. kInvalidArgument (kInvalidVoice) for a voice it does
  // not have; kUnavailable (kSpeechUnavailable / kSpeechTimeout) as for SpeechToText.
  virtual Result<audio::PcmAudio> Synthesize(std::string_view text, const TtsOptions& options) = 0;
  virtual std::vector<std::string> Voices() = 0;
  virtual EngineStatus Status() = 0;
};

}  // namespace atrium::core::speech
