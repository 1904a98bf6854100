#pragma once
// AudioDecoder on libsndfile (WAV, FLAC, Ogg Vorbis and Opus, MP3 through its mpg123
// support), reading from memory through its virtual I/O, and libsoxr for resampling,
// block by block, so a long upload never holds more than its output in memory. The
// format is told from the bytes first (core/audio/audio_format); libsndfile must agree.

#include "core/audio/audio_decoder.hpp"
#include "core/speech/speech_service.hpp"

namespace atrium::engines::audio {

class SndfileDecoder final : public core::audio::AudioDecoder, public core::speech::Resampler {
 public:
  core::Result<core::audio::DecodedAudio> Decode(std::string_view bytes, const core::audio::DecodeLimits& limits,
                                                 const core::audio::DecodeOptions& options) override;
  core::Result<core::audio::PcmAudio> Resample(const core::audio::PcmAudio& mono, int sample_rate) override;
};

}  // namespace atrium::engines::audio
