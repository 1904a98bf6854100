#pragma once
// Speech-to-text through an OpenAI-compatible POST /audio/transcriptions: the audio as a
// 16 kHz mono 16-bit WAV file in multipart/form-data with `model`, `language`,
// `response_format=json` and an optional `prompt`; the answer's `text`.

#include "core/random.hpp"
#include "core/speech/speech_to_text.hpp"
#include "core/speech/speech_upstream.hpp"

namespace atrium::core::speech {

class HttpSpeechToText final : public SpeechToText {
 public:
  HttpSpeechToText(SpeechUpstreamConfig config, net::HttpFetcher& fetcher, Random& random)
      : upstream_(std::move(config), fetcher), random_(random) {}

  std::string_view name() const override { return "http"; }
  int sample_rate() const override { return 16000; }
  Result<Transcript> Transcribe(const audio::PcmAudio& mono, const SttOptions& options) override;
  EngineStatus Status() override { return upstream_.Probe("http"); }

 private:
  SpeechUpstream upstream_;
  Random& random_;
};

}  // namespace atrium::core::speech
