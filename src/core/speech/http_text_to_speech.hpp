#pragma once
// Text-to-speech through an OpenAI-compatible POST /audio/speech ({model, input, voice,
// response_format: "wav", speed}); the WAV it answers is decoded (any format the
// decoder knows, told from the bytes) into mono PCM.

#include "core/audio/audio_decoder.hpp"
#include "core/speech/speech_upstream.hpp"
#include "core/speech/text_to_speech.hpp"

namespace atrium::core::speech {

class HttpTextToSpeech final : public TextToSpeech {
 public:
  HttpTextToSpeech(SpeechUpstreamConfig config, net::HttpFetcher& fetcher, audio::AudioDecoder& decoder)
      : upstream_(std::move(config), fetcher), decoder_(decoder) {}

  std::string_view name() const override { return "http"; }
  Result<audio::PcmAudio> Synthesize(std::string_view text, const TtsOptions& options) override;
  std::vector<std::string> Voices() override;
  EngineStatus Status() override { return upstream_.Probe("http"); }

 private:
  SpeechUpstream upstream_;
  audio::AudioDecoder& decoder_;
};

}  // namespace atrium::core::speech
