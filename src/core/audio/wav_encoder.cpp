#include "core/audio/wav_encoder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace atrium::core::audio {

namespace {

void Put16(std::string& out, std::uint16_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>(v >> 8);
}
void Put32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

}  // namespace

std::string EncodeWav16(const PcmAudio& audio) {
  const auto channels = static_cast<std::uint16_t>(std::max(1, audio.channels));
  const auto rate = static_cast<std::uint32_t>(audio.sample_rate);
  const auto data_bytes = static_cast<std::uint32_t>(audio.samples.size() * 2);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  Put32(out, 36 + data_bytes);
  out += "WAVEfmt ";
  Put32(out, 16);
  Put16(out, 1);  // PCM
  Put16(out, channels);
  Put32(out, rate);
  Put32(out, rate * channels * 2);
  Put16(out, static_cast<std::uint16_t>(channels * 2));
  Put16(out, 16);
  out += "data";
  Put32(out, data_bytes);
  for (float s : audio.samples) {
    const float c = std::clamp(s, -1.0f, 1.0f);
    const auto v = static_cast<std::int16_t>(std::lrint(c * 32767.0f));
    Put16(out, static_cast<std::uint16_t>(v));
  }
  return out;
}

}  // namespace atrium::core::audio
