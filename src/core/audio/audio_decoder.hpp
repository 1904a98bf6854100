#pragma once
// Decoding what clients upload (WAV, FLAC, Ogg Vorbis and Opus, MP3; told from the bytes)
// into PcmAudio, optionally down-mixed and resampled to what an engine needs. The core
// owns the interface; a driver (src/engines/audio) implements it.

#include <cstddef>
#include <string_view>

#include "core/audio/audio_format.hpp"
#include "core/audio/pcm_audio.hpp"
#include "core/result.hpp"

namespace atrium::core::audio {

struct DecodeLimits {
  std::size_t max_bytes = 25u << 20;  // the upload
  double max_seconds = 600;           // decoded duration
  int max_channels = 8;
};

struct DecodeOptions {
  int sample_rate = 0;  // 0: keep the file's
  bool mono = false;    // down-mix every channel into one
};

struct DecodedAudio {
  PcmAudio pcm;
  AudioFormat format = AudioFormat::kUnknown;
  int source_rate = 0;
  int source_channels = 0;
};

class AudioDecoder {
 public:
  virtual ~AudioDecoder() = default;
  // kInvalidArgument with Reason::kInvalidAudio for bytes that are not audio of a known
  // format, are truncated or do not match the format their header claims (also too
  // many channels); kInvalidArgument with kAudioTooLarge / kAudioTooLong past a size or
  // duration limit. Never crashes on any input. Thread-safe.
  virtual Result<DecodedAudio> Decode(std::string_view bytes, const DecodeLimits& limits,
                                      const DecodeOptions& options) = 0;
};

}  // namespace atrium::core::audio
