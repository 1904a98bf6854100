#include "engines/tts/espeak_engine.hpp"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <chrono>

namespace atrium::engines::tts {

namespace {

using core::Error;
using core::ErrorCode;
using core::Reason;

struct Job {
  std::vector<float>* out;
  std::chrono::steady_clock::time_point deadline;
  bool timed_out = false;
};

int OnSamples(short* wav, int count, espeak_EVENT* events) {
  auto* job = events != nullptr ? static_cast<Job*>(events->user_data) : nullptr;
  if (job == nullptr) return 0;
  if (std::chrono::steady_clock::now() > job->deadline) {
    job->timed_out = true;
    return 1;  // stop synthesis
  }
  for (int i = 0; wav != nullptr && i < count; ++i) job->out->push_back(static_cast<float>(wav[i]) / 32768.0f);
  return 0;
}

// The library's one synthesiser, shared by every engine of the process.
std::mutex& LibraryMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

EspeakEngine::EspeakEngine(EspeakOptions options) : options_(std::move(options)) {}

// libespeak-ng is one synthesiser per process: initialised once, by the first engine, and
// never terminated (espeak_Terminate after a re-initialisation waits forever on its
// internal thread). The process's exit releases it.
EspeakEngine::~EspeakEngine() = default;

core::Result<void> EspeakEngine::EnsureInitialised() {
  if (initialised_) return core::Ok{};
  if (!init_error_.empty()) {
    return Error(ErrorCode::kUnavailable, "Speech synthesis is unavailable", init_error_)
        .WithReason(Reason::kSpeechUnavailable);
  }
  static std::once_flag once;
  static int library_rate = 0;
  std::call_once(once, [&] {
    library_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200,
                                     options_.data_path.empty() ? nullptr : options_.data_path.c_str(),
                                     espeakINITIALIZE_DONT_EXIT);
  });
  const int rate = library_rate;
  if (rate <= 0) {
    init_error_ = "espeak-ng could not start (is espeak-ng-data installed?)";
    return Error(ErrorCode::kUnavailable, "Speech synthesis is unavailable", init_error_)
        .WithReason(Reason::kSpeechUnavailable);
  }
  sample_rate_ = rate;
  espeak_SetSynthCallback(&OnSamples);
  for (const espeak_VOICE** v = espeak_ListVoices(nullptr); v != nullptr && *v != nullptr; ++v) {
    // The language code (after the priority byte) is how voices are chosen: "en-us".
    if ((*v)->languages != nullptr && (*v)->languages[0] != '\0') voices_.emplace_back((*v)->languages + 1);
  }
  std::sort(voices_.begin(), voices_.end());
  voices_.erase(std::unique(voices_.begin(), voices_.end()), voices_.end());
  initialised_ = true;
  return core::Ok{};
}

core::Result<core::audio::PcmAudio> EspeakEngine::Synthesize(std::string_view text,
                                                             const core::speech::TtsOptions& options) {
  std::lock_guard lock(LibraryMutex());
  if (auto r = EnsureInitialised(); !r) return r.error();
  const std::string voice = options.voice.empty() ? options_.voice : options.voice;
  if (std::find(voices_.begin(), voices_.end(), voice) == voices_.end() ||
      espeak_SetVoiceByName(voice.c_str()) != EE_OK) {
    return Error(ErrorCode::kInvalidArgument, "Unknown voice '" + voice + "'").WithReason(Reason::kInvalidVoice);
  }
  const int wpm = std::clamp(options.rate_wpm > 0 ? options.rate_wpm : options_.rate_wpm, 80, 450);
  espeak_SetParameter(espeakRATE, wpm, 0);
  core::audio::PcmAudio out;
  out.sample_rate = sample_rate_;
  out.channels = 1;
  Job job{&out.samples, options.deadline};
  const std::string copy(text);  // espeak reads up to a NUL
  unsigned int id = 0;
  const espeak_ERROR err =
      espeak_Synth(copy.c_str(), copy.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, &id, &job);
  if (job.timed_out) {
    return Error(ErrorCode::kUnavailable, "Speech synthesis timed out").WithReason(Reason::kSpeechTimeout);
  }
  if (err != EE_OK) {
    return Error(ErrorCode::kUnavailable, "Speech synthesis failed", "espeak_Synth: " + std::to_string(err))
        .WithReason(Reason::kSpeechUnavailable);
  }
  return out;
}

std::vector<std::string> EspeakEngine::Voices() {
  std::lock_guard lock(LibraryMutex());
  if (!EnsureInitialised()) return {};
  return voices_;
}

core::speech::EngineStatus EspeakEngine::Status() {
  std::lock_guard lock(LibraryMutex());
  core::speech::EngineStatus s{.name = "espeak-ng", .kind = "embedded"};
  if (auto r = EnsureInitialised(); !r) {
    s.detail = r.error().internal_message();
    return s;
  }
  s.available = true;
  s.detail = "voice " + options_.voice + ", " + std::to_string(voices_.size()) + " voices, " +
             std::to_string(sample_rate_) + " Hz";
  return s;
}

}  // namespace atrium::engines::tts
