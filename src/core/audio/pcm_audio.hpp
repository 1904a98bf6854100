#pragma once
// Decoded audio as the core works with it: interleaved float samples in [-1, 1].

#include <cstddef>
#include <vector>

namespace atrium::core::audio {

struct PcmAudio {
  int sample_rate = 0;  // Hz
  int channels = 0;
  std::vector<float> samples;  // interleaved, frames() * channels of them

  std::size_t frames() const { return channels > 0 ? samples.size() / static_cast<std::size_t>(channels) : 0; }
  double duration_s() const { return sample_rate > 0 ? static_cast<double>(frames()) / sample_rate : 0.0; }
};

// One channel: the mean of every frame's channels.
PcmAudio DownmixToMono(const PcmAudio& audio);

}  // namespace atrium::core::audio
