#include "core/speech/speech_service.hpp"

#include "core/audio/wav_encoder.hpp"

namespace atrium::core::speech {

namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::chrono::microseconds Us(double ms) { return std::chrono::microseconds(static_cast<long long>(ms * 1000)); }

// The stage's outcome counted: a failure, and which kind.
template <class T>
void Count(metrics::SpeechStats& stats, metrics::SpeechStageStats& stage, const Result<T>& r, double ms) {
  stage.requests.fetch_add(1, std::memory_order_relaxed);
  stage.latency.Observe(Us(ms));
  if (r.ok()) return;
  stage.failures.fetch_add(1, std::memory_order_relaxed);
  if (r.error().reason() == Reason::kSpeechTimeout) stats.timeouts.fetch_add(1, std::memory_order_relaxed);
  if (r.error().reason() == Reason::kSpeechBusy) stats.busy.fetch_add(1, std::memory_order_relaxed);
  if (r.error().reason() == Reason::kInvalidAudio) stats.invalid_audio.fetch_add(1, std::memory_order_relaxed);
}

Error Timeout() {
  return Error(ErrorCode::kUnavailable, "Speech job timed out").WithReason(Reason::kSpeechTimeout);
}

}  // namespace

SpeechService::SpeechService(audio::AudioDecoder& decoder, Resampler& resampler, SpeechToText* stt, TextToSpeech* tts,
                             SpeechLimits limits, metrics::SpeechStats& stats)
    : decoder_(decoder),
      resampler_(resampler),
      stt_(stt),
      tts_(tts),
      limits_(limits),
      stats_(stats),
      slots_(limits.max_active, limits.max_waiting) {}

Result<audio::DecodedAudio> SpeechService::DecodeUpload(std::string_view upload, const audio::DecodeOptions& options,
                                                        Clock::time_point deadline) {
  const auto start = Clock::now();
  auto decoded = decoder_.Decode(upload, limits_.decode, options);
  const double ms = MsSince(start);
  Count(stats_, stats_.decode, decoded, ms);
  if (decoded) {
    stats_.decode.audio_ms.fetch_add(static_cast<std::uint64_t>(decoded->pcm.duration_s() * 1000),
                                     std::memory_order_relaxed);
  }
  if (decoded && Clock::now() > deadline) return Timeout();
  return decoded;
}

Result<TranscribeResult> SpeechService::Transcribe(std::string_view upload, const TranscribeOptions& options) {
  if (stt_ == nullptr) {
    return Error(ErrorCode::kUnavailable, "Speech-to-text is not configured").WithReason(Reason::kSpeechNotConfigured);
  }
  const auto deadline = Clock::now() + limits_.stt_deadline;
  auto slot = slots_.Acquire(deadline);
  if (!slot) {
    Count(stats_, stats_.stt, Result<void>(slot.error()), 0);
    return slot.error();
  }
  TranscribeResult out;
  const auto decode_start = Clock::now();
  auto decoded = DecodeUpload(upload, {.sample_rate = stt_->sample_rate(), .mono = true}, deadline);
  if (!decoded) return decoded.error();
  out.decode_ms = MsSince(decode_start);
  out.format = decoded->format;
  out.audio_seconds = decoded->pcm.duration_s();
  if (options.analyze) {
    out.quality = audio::AnalyzeQuality(decoded->pcm);
    out.has_quality = true;
  }
  const auto stt_start = Clock::now();
  auto transcript = stt_->Transcribe(decoded->pcm, {.language = options.language, .prompt = options.prompt,
                                                    .deadline = deadline});
  out.stt_ms = MsSince(stt_start);
  Count(stats_, stats_.stt, transcript, out.stt_ms);
  if (!transcript) return transcript.error();
  stats_.stt.audio_ms.fetch_add(static_cast<std::uint64_t>(out.audio_seconds * 1000), std::memory_order_relaxed);
  out.transcript = std::move(transcript).value();
  out.engine = std::string(stt_->name());
  return out;
}

Result<SpeakResult> SpeechService::Speak(std::string_view text, const SpeakOptions& options) {
  if (tts_ == nullptr) {
    return Error(ErrorCode::kUnavailable, "Text-to-speech is not configured").WithReason(Reason::kSpeechNotConfigured);
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Error(ErrorCode::kInvalidArgument, "Text to speak is empty").WithReason(Reason::kInvalidMessage);
  }
  if (text.size() > limits_.max_text_chars) {
    return Error(ErrorCode::kInvalidArgument,
                 "Text to speak is longer than " + std::to_string(limits_.max_text_chars) + " characters")
        .WithReason(Reason::kTextTooLong);
  }
  const auto deadline = Clock::now() + limits_.tts_deadline;
  auto slot = slots_.Acquire(deadline);
  if (!slot) {
    Count(stats_, stats_.tts, Result<void>(slot.error()), 0);
    return slot.error();
  }
  const auto start = Clock::now();
  auto pcm = tts_->Synthesize(text, {.voice = options.voice, .rate_wpm = options.rate_wpm, .deadline = deadline});
  if (pcm && options.sample_rate > 0 && pcm->sample_rate != options.sample_rate) {
    pcm = resampler_.Resample(audio::DownmixToMono(*pcm), options.sample_rate);
  }
  SpeakResult out;
  out.tts_ms = MsSince(start);
  Count(stats_, stats_.tts, pcm, out.tts_ms);
  if (!pcm) return pcm.error();
  out.audio = audio::DownmixToMono(*pcm);
  stats_.tts.audio_ms.fetch_add(static_cast<std::uint64_t>(out.audio.duration_s() * 1000), std::memory_order_relaxed);
  out.wav = audio::EncodeWav16(out.audio);
  out.engine = std::string(tts_->name());
  return out;
}

Result<AnalyzeResult> SpeechService::Analyze(std::string_view upload) {
  const auto deadline = Clock::now() + limits_.stt_deadline;
  auto slot = slots_.Acquire(deadline);
  if (!slot) return slot.error();
  auto decoded = DecodeUpload(upload, {.sample_rate = 16000, .mono = true}, deadline);
  if (!decoded) return decoded.error();
  AnalyzeResult out;
  out.quality = audio::AnalyzeQuality(decoded->pcm);
  out.format = decoded->format;
  out.sample_rate = decoded->source_rate;
  out.channels = decoded->source_channels;
  return out;
}

std::vector<std::string> SpeechService::Voices() { return tts_ != nullptr ? tts_->Voices() : std::vector<std::string>{}; }

std::vector<EngineStatus> SpeechService::Status() {
  std::vector<EngineStatus> out;
  if (stt_ != nullptr) out.push_back(stt_->Status());
  if (tts_ != nullptr) out.push_back(tts_->Status());
  return out;
}

}  // namespace atrium::core::speech
