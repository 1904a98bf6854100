#pragma once
// Text-to-speech in process with libespeak-ng (Debian's espeak-ng-data voices), in its
// synchronous mode. The library keeps one synthesiser per process, so jobs of every
// engine take turns (one process-wide mutex); a job past its deadline stops at the next block
// the library hands back.

#include <mutex>
#include <string>
#include <vector>

#include "core/speech/text_to_speech.hpp"

namespace atrium::engines::tts {

struct EspeakOptions {
  std::string voice = "en-us";  // the default voice
  int rate_wpm = 175;           // 80-450
  std::string data_path;        // empty: the library's own (espeak-ng-data)
};

class EspeakEngine final : public core::speech::TextToSpeech {
 public:
  explicit EspeakEngine(EspeakOptions options);
  ~EspeakEngine() override;
  EspeakEngine(const EspeakEngine&) = delete;
  EspeakEngine& operator=(const EspeakEngine&) = delete;

  std::string_view name() const override { return "espeak-ng"; }
  core::Result<core::audio::PcmAudio> Synthesize(std::string_view text, const core::speech::TtsOptions& options) override;
  std::vector<std::string> Voices() override;
  core::speech::EngineStatus Status() override;

 private:
  core::Result<void> EnsureInitialised();  // under the library's mutex

  const EspeakOptions options_;
  bool initialised_ = false;
  int sample_rate_ = 0;
  std::string init_error_;
  std::vector<std::string> voices_;
};

}  // namespace atrium::engines::tts
