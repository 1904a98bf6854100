#pragma once
// PCM audio as a RIFF/WAVE file: 16-bit little-endian integer samples.

#include <string>

#include "core/audio/pcm_audio.hpp"

namespace atrium::core::audio {

// Samples are clamped to [-1, 1] and rounded to 16 bits.
std::string EncodeWav16(const PcmAudio& audio);

}  // namespace atrium::core::audio
