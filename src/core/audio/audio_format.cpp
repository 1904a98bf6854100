#include "core/audio/audio_format.hpp"

#include <cstdint>

namespace atrium::core::audio {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::uint8_t Byte(std::string_view s, std::size_t i) { return static_cast<std::uint8_t>(s[i]); }

// An MPEG audio frame header at `i`: sync, a real version, layer III, a bitrate and a
// sample rate that are not the reserved values.
bool MpegFrameAt(std::string_view s, std::size_t i) {
  if (i + 4 > s.size()) return false;
  const std::uint8_t b1 = Byte(s, i + 1), b2 = Byte(s, i + 2);
  if (Byte(s, i) != 0xFF || (b1 & 0xE0) != 0xE0) return false;
  const int version = (b1 >> 3) & 3;  // 1 is reserved
  const int layer = (b1 >> 1) & 3;    // 1 = layer III
  const int bitrate = b2 >> 4;        // 0 free, 15 bad
  const int rate = (b2 >> 2) & 3;     // 3 reserved
  return version != 1 && layer == 1 && bitrate != 0 && bitrate != 15 && rate != 3;
}

std::size_t Id3v2Size(std::string_view s) {
  if (s.size() < 10 || !StartsWith(s, "ID3")) return 0;
  std::size_t size = 0;
  for (int i = 6; i < 10; ++i) {
    if (Byte(s, static_cast<std::size_t>(i)) & 0x80) return 0;  // synchsafe bytes never set the top bit
    size = (size << 7) | Byte(s, static_cast<std::size_t>(i));
  }
  const bool footer = (Byte(s, 5) & 0x10) != 0;
  return 10 + size + (footer ? 10 : 0);
}

}  // namespace

AudioFormat SniffAudioFormat(std::string_view b) {
  if (b.size() >= 12 && StartsWith(b, "RIFF") && b.substr(8, 4) == "WAVE") return AudioFormat::kWav;
  if (b.size() >= 12 && StartsWith(b, "RF64") && b.substr(8, 4) == "WAVE") return AudioFormat::kWav;
  if (StartsWith(b, "fLaC")) return AudioFormat::kFlac;
  if (b.size() >= 28 + 8 && StartsWith(b, "OggS")) {
    // The first page's first packet names the codec; the page header is 27 bytes plus
    // one lacing byte per segment.
    const std::size_t segments = Byte(b, 26);
    const std::size_t body = 27 + segments;
    if (body + 8 <= b.size()) {
      auto packet = b.substr(body);
      if (StartsWith(packet, "OpusHead")) return AudioFormat::kOggOpus;
      if (packet.size() >= 7 && Byte(packet, 0) == 1 && packet.substr(1, 6) == "vorbis") return AudioFormat::kOggVorbis;
    }
    return AudioFormat::kUnknown;
  }
  if (std::size_t id3 = Id3v2Size(b); id3 > 0) {
    if (MpegFrameAt(b, id3)) return AudioFormat::kMp3;
    // A tag longer than what was sent, or padding before the first frame: look a little further.
    for (std::size_t i = id3; i < b.size() && i < id3 + 4096; ++i) {
      if (MpegFrameAt(b, i)) return AudioFormat::kMp3;
    }
    return AudioFormat::kUnknown;
  }
  // A bare MPEG stream: two frame headers in a row would be proof; one at the start is
  // what a short file offers.
  if (MpegFrameAt(b, 0)) return AudioFormat::kMp3;
  return AudioFormat::kUnknown;
}

bool OggStreamComplete(std::string_view b) {
  // Page by page from the start: every page whole, the last one flagged end-of-stream.
  std::size_t at = 0;
  std::uint8_t flags = 0;
  while (at < b.size()) {
    if (at + 27 > b.size() || b.substr(at, 4) != "OggS") return false;
    const std::size_t segments = Byte(b, at + 26);
    if (at + 27 + segments > b.size()) return false;
    std::size_t body = 0;
    for (std::size_t i = 0; i < segments; ++i) body += Byte(b, at + 27 + i);
    flags = Byte(b, at + 5);
    at += 27 + segments + body;
  }
  return at == b.size() && at > 0 && (flags & 0x04) != 0;
}

std::string_view AudioFormatName(AudioFormat format) {
  switch (format) {
    case AudioFormat::kWav: return "wav";
    case AudioFormat::kFlac: return "flac";
    case AudioFormat::kOggVorbis: return "ogg-vorbis";
    case AudioFormat::kOggOpus: return "ogg-opus";
    case AudioFormat::kMp3: return "mp3";
    case AudioFormat::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view AudioFormatMime(AudioFormat format) {
  switch (format) {
    case AudioFormat::kWav: return "audio/wav";
    case AudioFormat::kFlac: return "audio/flac";
    case AudioFormat::kOggVorbis: return "audio/ogg";
    case AudioFormat::kOggOpus: return "audio/ogg";
    case AudioFormat::kMp3: return "audio/mpeg";
    case AudioFormat::kUnknown: return "application/octet-stream";
  }
  return "application/octet-stream";
}

}  // namespace atrium::core::audio
