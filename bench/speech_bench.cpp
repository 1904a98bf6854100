// Real-time factor of the embedded speech engines on this machine, one stream and N
// streams at once, and what decoding a long upload costs in memory.
//
//   cmake --preset bench && cmake --build --preset bench --target atrium_speech_bench
//   build/bench/bench/atrium_speech_bench [--streams N] [--upload-seconds S]
//
// RTF = processing time / audio duration (below 1: faster than real time). With N
// streams, each of N threads runs the same job; the figure is wall time over the audio of
// one stream (so N streams at RTF r keep up with N live speakers when r < 1).

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/audio/wav_encoder.hpp"
#include "engines/audio/sndfile_decoder.hpp"
#include "engines/stt/pocketsphinx_engine.hpp"
#include "engines/tts/espeak_engine.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace atrium;

const char* kText =
    "Turn on the kitchen lights and set a timer for ten minutes. What is on my calendar this "
    "afternoon? Remind me to call my mother tomorrow at seven.";

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

long PeakRssKb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}
long RssKb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}
// Resets VmHWM to the current RSS (Linux 4.0+): peaks measured from here on.
void ResetPeak() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

template <class F>
double Parallel(int n, F job) {
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) threads.emplace_back(job);
  for (auto& t : threads) t.join();
  return Seconds(Clock::now() - start);
}

}  // namespace

int main(int argc, char** argv) {
  int streams = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int upload_seconds = 60;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--streams") == 0) streams = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--upload-seconds") == 0) upload_seconds = std::atoi(argv[i + 1]);
  }
  engines::audio::SndfileDecoder decoder;
  engines::tts::EspeakEngine tts({});
  engines::stt::PocketsphinxEngine stt({.max_decoders = static_cast<std::size_t>(streams)});

  // TTS: one stream, then N (espeak-ng has one global synthesiser: they take turns).
  auto warm = tts.Synthesize("warm up", {});
  if (!warm) {
    std::fprintf(stderr, "espeak-ng: %s\n", warm.error().internal_message().c_str());
    return 1;
  }
  auto start = Clock::now();
  auto speech = tts.Synthesize(kText, {});
  const double tts_one = Seconds(Clock::now() - start);
  const double audio_s = speech->duration_s();
  const double tts_n = Parallel(streams, [&] { (void)tts.Synthesize(kText, {}); });

  // STT on that speech at 16 kHz: one stream, then N (one decoder each).
  auto at16k = decoder.Resample(*speech, 16000);
  (void)Parallel(streams, [&] { (void)stt.Transcribe(*at16k, {}); });  // loads every decoder
  start = Clock::now();
  auto heard = stt.Transcribe(*at16k, {});
  const double stt_one = Seconds(Clock::now() - start);
  const double stt_n = Parallel(streams, [&] { (void)stt.Transcribe(*at16k, {}); });

  std::printf("speech: %.2f s of espeak-ng audio (%zu chars); heard: \"%s\"\n", audio_s, std::strlen(kText),
              heard ? heard->text.c_str() : "(failed)");
  std::printf("| engine | streams | wall s | RTF per stream |\n|---|---|---|---|\n");
  std::printf("| espeak-ng TTS | 1 | %.3f | %.3f |\n", tts_one, tts_one / audio_s);
  std::printf("| espeak-ng TTS | %d | %.3f | %.3f |\n", streams, tts_n, tts_n / audio_s);
  std::printf("| pocketsphinx STT | 1 | %.3f | %.3f |\n", stt_one, stt_one / audio_s);
  std::printf("| pocketsphinx STT | %d | %.3f | %.3f |\n", streams, stt_n, stt_n / audio_s);

  // A long upload: 44.1 kHz stereo 16-bit WAV, decoded to 16 kHz mono as STT asks.
  core::audio::PcmAudio long_audio{44100, 2, {}};
  long_audio.samples.resize(static_cast<std::size_t>(44100) * 2 * static_cast<std::size_t>(upload_seconds));
  for (std::size_t i = 0; i < long_audio.samples.size(); ++i) {
    long_audio.samples[i] = static_cast<float>(0.2 * std::sin(static_cast<double>(i) * 0.03));
  }
  const std::string wav = core::audio::EncodeWav16(long_audio);
  long_audio.samples.clear();
  long_audio.samples.shrink_to_fit();
  const long before = RssKb();
  ResetPeak();
  start = Clock::now();
  auto decoded = decoder.Decode(wav, {.max_bytes = wav.size()}, {.sample_rate = 16000, .mono = true});
  const double decode_s = Seconds(Clock::now() - start);
  const long peak = PeakRssKb();
  if (!decoded) {
    std::fprintf(stderr, "decode: %s\n", decoded.error().safe_message().c_str());
    return 1;
  }
  std::printf("\n%d s upload: %.1f MB WAV (44.1 kHz stereo 16-bit) -> %.1f MB of 16 kHz mono float in %.3f s; "
              "peak RSS above the upload %.1f MB\n",
              upload_seconds, static_cast<double>(wav.size()) / 1e6,
              static_cast<double>(decoded->pcm.samples.size() * sizeof(float)) / 1e6, decode_s,
              static_cast<double>(peak - before) / 1024.0);
  return 0;
}
