#pragma once
// The power spectrum of one frame of samples: a Hann window and an in-place radix-2 FFT.

#include <span>
#include <vector>

namespace atrium::core::audio {

// |X[k]|^2 for k = 0 .. n/2, where n is frame.size() (a power of two, 2 or more).
std::vector<double> PowerSpectrum(std::span<const float> frame);

// The largest power of two not above `n` (1 for n < 2).
std::size_t FloorPowerOfTwo(std::size_t n);

}  // namespace atrium::core::audio
