#pragma once
// What kind of audio a client sent, told from its bytes (magic numbers and container
// headers), never from a file name or a declared Content-Type.

#include <string_view>

namespace atrium::core::audio {

enum class AudioFormat { kUnknown, kWav, kFlac, kOggVorbis, kOggOpus, kMp3 };

AudioFormat SniffAudioFormat(std::string_view bytes);

// True when `bytes` are whole, intact Ogg pages (each page's checksum right) ending with
// one that carries the end-of-stream flag: an Ogg file cut short in transit, or damaged
// anywhere, is not.
bool OggStreamComplete(std::string_view bytes);

// True when the bytes are cut short by what their own header says: a WAV whose `data`
// chunk claims more bytes than follow (0 and 0xFFFFFFFF, a streaming recorder's "unknown",
// are not a claim), an MP3 whose Xing/Info header counts more stream bytes than there
// are, an Ogg stream that is not complete (above). FLAC and headerless MP3 are left to the
// decoder's frame count.
bool LooksTruncated(AudioFormat format, std::string_view bytes);

// "wav", "flac", "ogg-vorbis", "ogg-opus", "mp3", "unknown" (logs, errors, metrics).
std::string_view AudioFormatName(AudioFormat format);
// The MIME type a file of this format is served as.
std::string_view AudioFormatMime(AudioFormat format);

}  // namespace atrium::core::audio
