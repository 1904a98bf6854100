// The audio decoder on any bytes (what an upload may hold): format sniffing, the
// truncation checks, libsndfile and the resampler. Nothing may crash; a success must be
// audio within the limits, and its quality analysis must give a score in 0-10.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/audio/audio_quality.hpp"
#include "engines/audio/sndfile_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static atrium::engines::audio::SndfileDecoder decoder;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  atrium::core::audio::DecodeLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_seconds = 20;
  // One run keeps the file's rate and channels, one converts as speech-to-text asks.
  for (const auto& options : {atrium::core::audio::DecodeOptions{}, atrium::core::audio::DecodeOptions{16000, true}}) {
    auto r = decoder.Decode(bytes, limits, options);
    if (!r) continue;
    if (r->pcm.channels < 1 || r->pcm.channels > limits.max_channels) __builtin_trap();
    if (r->pcm.duration_s() > limits.max_seconds + 1.5) __builtin_trap();
    const auto q = atrium::core::audio::AnalyzeQuality(r->pcm);
    if (!(q.score >= 0 && q.score <= 10)) __builtin_trap();
  }
  return 0;
}
