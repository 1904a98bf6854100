#pragma once
// What kind of audio a client sent, told from its bytes (magic numbers and container
// headers), never from a file name or a declared Content-Type.

#include <string_view>

namespace atrium::core::audio {

enum class AudioFormat { kUnknown, kWav, kFlac, kOggVorbis, kOggOpus, kMp3 };

AudioFormat SniffAudioFormat(std::string_view bytes);

// True when `bytes` end with a whole Ogg page that carries the end-of-stream flag: an
// Ogg file cut short in transit does not.
bool OggStreamComplete(std::string_view bytes);

// "wav", "flac", "ogg-vorbis", "ogg-opus", "mp3", "unknown" (logs, errors, metrics).
std::string_view AudioFormatName(AudioFormat format);
// The MIME type a file of this format is served as.
std::string_view AudioFormatMime(AudioFormat format);

}  // namespace atrium::core::audio
