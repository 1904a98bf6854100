#pragma once
// The speech core every dialect uses: uploads decoded (any format the decoder knows, told
// from the bytes), transcribed by the configured speech-to-text engine, text spoken by
// the configured text-to-speech engine and encoded as the caller asks, and audio quality
// measured from the samples. Every job is admitted through SpeechSlots (bounded
// concurrency and queue, a deadline per job) and timed per stage; call it from a worker
// thread, never from an I/O thread.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/audio/audio_decoder.hpp"
#include "core/audio/audio_quality.hpp"
#include "core/metrics/speech_stats.hpp"
#include "core/result.hpp"
#include "core/speech/engine_status.hpp"
#include "core/speech/speech_slots.hpp"
#include "core/speech/speech_to_text.hpp"
#include "core/speech/text_to_speech.hpp"

namespace atrium::core::speech {

struct SpeechLimits {
  audio::DecodeLimits decode;
  std::size_t max_text_chars = 5000;  // one synthesis
  std::chrono::milliseconds stt_deadline{120000};
  std::chrono::milliseconds tts_deadline{60000};
  std::size_t max_active = 2;
  std::size_t max_waiting = 16;
};

struct TranscribeOptions {
  std::string language = "en";
  std::string prompt;
  bool analyze = false;  // also measure the audio's quality
};

struct TranscribeResult {
  Transcript transcript;
  audio::AudioFormat format = audio::AudioFormat::kUnknown;
  double audio_seconds = 0;
  double decode_ms = 0;
  double stt_ms = 0;  // the spec's sttTime
  std::string engine;
  bool has_quality = false;
  audio::AudioQuality quality;
};

struct SpeakOptions {
  std::string voice;
  int rate_wpm = 0;
  int sample_rate = 0;  // output rate; 0: the engine's own
};

struct SpeakResult {
  audio::PcmAudio audio;  // mono
  std::string wav;        // 16-bit PCM WAV of `audio`
  double tts_ms = 0;      // the spec's ttsTime
  std::string engine;
};

struct AnalyzeResult {
  audio::AudioQuality quality;
  audio::AudioFormat format = audio::AudioFormat::kUnknown;
  int sample_rate = 0;
  int channels = 0;
};

// Output conversions the service needs besides decoding (a driver resamples).
class Resampler {
 public:
  virtual ~Resampler() = default;
  virtual Result<audio::PcmAudio> Resample(const audio::PcmAudio& mono, int sample_rate) = 0;
};

class SpeechService {
 public:
  // `stt` and `tts` may be null (not configured). Everything must outlive the service.
  SpeechService(audio::AudioDecoder& decoder, Resampler& resampler, SpeechToText* stt, TextToSpeech* tts,
                SpeechLimits limits, metrics::SpeechStats& stats);

  Result<TranscribeResult> Transcribe(std::string_view upload, const TranscribeOptions& options);
  Result<SpeakResult> Speak(std::string_view text, const SpeakOptions& options);
  Result<AnalyzeResult> Analyze(std::string_view upload);

  bool stt_configured() const { return stt_ != nullptr; }
  bool tts_configured() const { return tts_ != nullptr; }
  std::vector<std::string> Voices();
  // One entry per configured engine (speech-to-text first).
  std::vector<EngineStatus> Status();
  const SpeechLimits& limits() const { return limits_; }

 private:
  Result<audio::DecodedAudio> DecodeUpload(std::string_view upload, const audio::DecodeOptions& options,
                                           std::chrono::steady_clock::time_point deadline);

  audio::AudioDecoder& decoder_;
  Resampler& resampler_;
  SpeechToText* stt_;
  TextToSpeech* tts_;
  const SpeechLimits limits_;
  metrics::SpeechStats& stats_;
  SpeechSlots slots_;
};

}  // namespace atrium::core::speech
