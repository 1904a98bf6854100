#include "core/audio/pcm_audio.hpp"

namespace atrium::core::audio {

PcmAudio DownmixToMono(const PcmAudio& audio) {
  if (audio.channels <= 1) return audio;
  PcmAudio out;
  out.sample_rate = audio.sample_rate;
  out.channels = 1;
  const auto frames = audio.frames();
  const auto ch = static_cast<std::size_t>(audio.channels);
  out.samples.resize(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    float sum = 0;
    for (std::size_t c = 0; c < ch; ++c) sum += audio.samples[f * ch + c];
    out.samples[f] = sum / static_cast<float>(ch);
  }
  return out;
}

}  // namespace atrium::core::audio
