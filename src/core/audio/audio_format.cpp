#include "core/audio/audio_format.hpp"

#include <array>
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

namespace {

// Ogg's page checksum: CRC-32 with polynomial 0x04C11DB7, no reflection, initial value
// 0, over the whole page with its checksum field taken as zero (RFC 3533).
constexpr std::array<std::uint32_t, 256> OggCrcTable() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t r = i << 24;
    for (int k = 0; k < 8; ++k) r = (r & 0x80000000u) ? (r << 1) ^ 0x04C11DB7u : r << 1;
    t[i] = r;
  }
  return t;
}

std::uint32_t OggPageCrc(std::string_view page) {
  static constexpr auto kTable = OggCrcTable();
  std::uint32_t crc = 0;
  for (std::size_t i = 0; i < page.size(); ++i) {
    const std::uint8_t byte = (i >= 22 && i < 26) ? 0 : static_cast<std::uint8_t>(page[i]);
    crc = (crc << 8) ^ kTable[((crc >> 24) ^ byte) & 0xFF];
  }
  return crc;
}

}  // namespace

bool OggStreamComplete(std::string_view b) {
  // Page by page from the start: every page whole and intact (its checksum right), the
  // last one flagged end-of-stream. A damaged page is refused here rather than left to
  // the decoder, whose error paths for broken Vorbis headers leak (libsndfile 1.2 over
  // libvorbis 1.3, Debian 12).
  std::size_t at = 0;
  std::uint8_t flags = 0;
  while (at < b.size()) {
    if (at + 27 > b.size() || b.substr(at, 4) != "OggS") return false;
    const std::size_t segments = Byte(b, at + 26);
    if (at + 27 + segments > b.size()) return false;
    std::size_t body = 0;
    for (std::size_t i = 0; i < segments; ++i) body += Byte(b, at + 27 + i);
    const std::size_t size = 27 + segments + body;
    if (at + size > b.size()) return false;
    const std::uint32_t stored = static_cast<std::uint32_t>(Byte(b, at + 22)) |
                                 (static_cast<std::uint32_t>(Byte(b, at + 23)) << 8) |
                                 (static_cast<std::uint32_t>(Byte(b, at + 24)) << 16) |
                                 (static_cast<std::uint32_t>(Byte(b, at + 25)) << 24);
    if (OggPageCrc(b.substr(at, size)) != stored) return false;
    flags = Byte(b, at + 5);
    at += size;
  }
  return at == b.size() && at > 0 && (flags & 0x04) != 0;
}

namespace {

std::uint32_t Le32(std::string_view s, std::size_t i) {
  return static_cast<std::uint32_t>(Byte(s, i)) | (static_cast<std::uint32_t>(Byte(s, i + 1)) << 8) |
         (static_cast<std::uint32_t>(Byte(s, i + 2)) << 16) | (static_cast<std::uint32_t>(Byte(s, i + 3)) << 24);
}
std::uint32_t Be32(std::string_view s, std::size_t i) {
  return (static_cast<std::uint32_t>(Byte(s, i)) << 24) | (static_cast<std::uint32_t>(Byte(s, i + 1)) << 16) |
         (static_cast<std::uint32_t>(Byte(s, i + 2)) << 8) | static_cast<std::uint32_t>(Byte(s, i + 3));
}

bool WavTruncated(std::string_view b) {
  if (!StartsWith(b, "RIFF")) return false;  // RF64 keeps its sizes elsewhere
  std::size_t at = 12;
  while (at + 8 <= b.size()) {
    const std::uint32_t size = Le32(b, at + 4);
    if (b.substr(at, 4) == "data") {
      if (size == 0 || size == 0xFFFFFFFFu) return false;  // length not known when written
      return at + 8 + size > b.size();
    }
    const std::size_t next = at + 8 + size + (size & 1);
    if (next <= at) return true;
    at = next;
  }
  return true;  // no data chunk in what arrived
}

bool Mp3Truncated(std::string_view b) {
  std::size_t start = Id3v2Size(b);
  while (start < b.size() && start < 8192 && !MpegFrameAt(b, start)) ++start;
  if (!MpegFrameAt(b, start)) return false;
  // The Xing/Info tag sits in the first frame, after its side information (at most 36 bytes in).
  const auto window = b.substr(start, 64);
  std::size_t tag = window.find("Xing");
  if (tag == std::string_view::npos) tag = window.find("Info");
  if (tag == std::string_view::npos) return false;
  std::size_t at = start + tag + 4;
  if (at + 4 > b.size()) return true;
  const std::uint32_t flags = Be32(b, at);
  at += 4;
  if (flags & 1) at += 4;  // frame count
  if (!(flags & 2)) return false;
  if (at + 4 > b.size()) return true;
  const std::uint32_t stream_bytes = Be32(b, at);
  return b.size() - start < stream_bytes;
}

}  // namespace

bool LooksTruncated(AudioFormat format, std::string_view bytes) {
  switch (format) {
    case AudioFormat::kWav: return WavTruncated(bytes);
    case AudioFormat::kMp3: return Mp3Truncated(bytes);
    case AudioFormat::kOggVorbis:
    case AudioFormat::kOggOpus: return !OggStreamComplete(bytes);
    case AudioFormat::kFlac:
    case AudioFormat::kUnknown: return false;
  }
  return false;
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
