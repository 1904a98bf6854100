#include "app/speech_parts.hpp"

#include <thread>

#include "core/speech/http_speech_to_text.hpp"
#include "core/speech/http_text_to_speech.hpp"
#include "engines/audio/sndfile_decoder.hpp"
#include "engines/stt/pocketsphinx_engine.hpp"
#include "engines/tts/espeak_engine.hpp"

namespace atrium::app {

namespace {

core::speech::SpeechUpstreamConfig Upstream(const Config& c, bool stt) {
  core::speech::SpeechUpstreamConfig u;
  u.base_url = stt ? c.speech_stt_base_url : c.speech_tts_base_url;
  u.api_key = stt ? c.speech_stt_api_key : c.speech_tts_api_key;
  u.model = stt ? c.speech_stt_model : c.speech_tts_model;
  u.timeout = std::chrono::milliseconds(stt ? c.speech_stt_timeout_ms : c.speech_tts_timeout_ms);
  u.max_retries = c.speech_max_retries;
  u.ca_file = c.llm_ca_file;
  if (!stt) {
    u.voice = c.speech_tts_voice.empty() ? "alloy" : c.speech_tts_voice;
    u.voices = c.speech_tts_voices;
  }
  return u;
}

// A probe over an engine's own status report.
class EngineProbe final : public core::health::HealthProbe {
 public:
  EngineProbe(std::string name, std::function<core::speech::EngineStatus()> status, const core::Clock& clock)
      : name_(std::move(name)), status_(std::move(status)), clock_(clock) {}
  std::string name() const override { return name_; }
  bool critical() const override { return false; }
  core::health::ProbeResult Check() override {
    const auto start = clock_.Steady();
    const auto s = status_();
    core::health::ProbeResult r;
    r.healthy = s.available;
    r.latency = std::chrono::duration_cast<std::chrono::microseconds>(clock_.Steady() - start);
    r.label = s.name;
    r.detail = s.available ? "" : "unavailable";
    return r;
  }

 private:
  std::string name_;
  std::function<core::speech::EngineStatus()> status_;
  const core::Clock& clock_;
};

}  // namespace

struct SpeechParts::Engines {
  engines::audio::SndfileDecoder decoder;
  std::unique_ptr<core::speech::SpeechToText> stt;
  std::unique_ptr<core::speech::TextToSpeech> tts;
};

SpeechParts::SpeechParts(const Config& config, core::net::HttpFetcher& fetcher, core::Random& random)
    : engines_(std::make_unique<Engines>()) {
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t active = config.speech_max_concurrent > 0 ? static_cast<std::size_t>(config.speech_max_concurrent) : cores;
  if (config.speech_stt_engine == "pocketsphinx") {
    engines_->stt = std::make_unique<engines::stt::PocketsphinxEngine>(
        engines::stt::PocketsphinxOptions{.model_dir = config.speech_stt_model_dir,
                                          .grammar_path = config.speech_stt_grammar,
                                          .max_decoders = active});
  } else if (config.speech_stt_engine == "http") {
    engines_->stt = std::make_unique<core::speech::HttpSpeechToText>(Upstream(config, true), fetcher, random);
  }
  if (config.speech_tts_engine == "espeak-ng") {
    engines_->tts = std::make_unique<engines::tts::EspeakEngine>(engines::tts::EspeakOptions{
        .voice = config.speech_tts_voice.empty() ? "en-us" : config.speech_tts_voice,
        .rate_wpm = config.speech_tts_rate_wpm});
  } else if (config.speech_tts_engine == "http") {
    engines_->tts = std::make_unique<core::speech::HttpTextToSpeech>(Upstream(config, false), fetcher, engines_->decoder);
  }
  core::speech::SpeechLimits limits;
  limits.decode.max_bytes = static_cast<std::size_t>(config.speech_max_upload_bytes);
  limits.decode.max_seconds = config.speech_max_audio_seconds;
  limits.max_text_chars = static_cast<std::size_t>(config.speech_max_text_chars);
  limits.stt_deadline = std::chrono::milliseconds(config.speech_stt_deadline_ms);
  limits.tts_deadline = std::chrono::milliseconds(config.speech_tts_deadline_ms);
  limits.max_active = active;
  limits.max_waiting = static_cast<std::size_t>(config.speech_max_queue);
  service_ = std::make_unique<core::speech::SpeechService>(engines_->decoder, engines_->decoder, engines_->stt.get(),
                                                           engines_->tts.get(), limits, stats_);
}

SpeechParts::~SpeechParts() = default;

void SpeechParts::AddProbes(core::health::HealthService& health, const core::Clock& clock) {
  if (auto* stt = engines_->stt.get()) {
    health.AddProbe(std::make_unique<EngineProbe>("speech_to_text", [stt] { return stt->Status(); }, clock));
  }
  if (auto* tts = engines_->tts.get()) {
    health.AddProbe(std::make_unique<EngineProbe>("text_to_speech", [tts] { return tts->Status(); }, clock));
  }
}

}  // namespace atrium::app
