#include "core/audio/audio_format.hpp"

#include <gtest/gtest.h>

#include <cstdint>

#include <string>

#include "core/audio/wav_encoder.hpp"

namespace atrium::core::audio {
namespace {

std::string OggPage(std::string_view packet) {
  std::string page = "OggS";
  page += std::string(1, '\0');  // version
  page += std::string(1, '\2');  // BOS
  page += std::string(8 + 4 + 4 + 4, '\0');
  page += std::string(1, '\1');  // one segment
  page += static_cast<char>(packet.size());
  page += packet;
  return page;
}

TEST(AudioFormatTest, TellsEachFormatFromItsBytes) {
  PcmAudio a{16000, 1, std::vector<float>(160, 0.1f)};
  EXPECT_EQ(SniffAudioFormat(EncodeWav16(a)), AudioFormat::kWav);
  EXPECT_EQ(SniffAudioFormat(std::string("fLaC") + std::string(40, '\0')), AudioFormat::kFlac);
  EXPECT_EQ(SniffAudioFormat(OggPage("OpusHead\x01\x02") + std::string(20, '\0')), AudioFormat::kOggOpus);
  EXPECT_EQ(SniffAudioFormat(OggPage(std::string("\x01vorbis") + std::string(23, '\0'))), AudioFormat::kOggVorbis);
  // An MPEG-1 layer III frame header: 128 kbit/s, 44.1 kHz.
  EXPECT_EQ(SniffAudioFormat(std::string("\xFF\xFB\x90\x00", 4) + std::string(400, '\0')), AudioFormat::kMp3);
  // The same after an ID3v2 tag of 20 bytes.
  std::string id3 = std::string("ID3\x04\x00\x00\x00\x00\x00\x14", 10) + std::string(20, '\0');
  EXPECT_EQ(SniffAudioFormat(id3 + std::string("\xFF\xFB\x90\x00", 4) + std::string(400, '\0')), AudioFormat::kMp3);
}

TEST(AudioFormatTest, AnythingElseIsUnknown) {
  EXPECT_EQ(SniffAudioFormat(""), AudioFormat::kUnknown);
  EXPECT_EQ(SniffAudioFormat("RIFF"), AudioFormat::kUnknown);
  EXPECT_EQ(SniffAudioFormat("RIFF\x10\0\0\0AVI LIST"), AudioFormat::kUnknown);
  EXPECT_EQ(SniffAudioFormat("\x89PNG\r\n\x1a\n0000000000000"), AudioFormat::kUnknown);
  EXPECT_EQ(SniffAudioFormat(OggPage("\x80theora") + std::string(20, '\0')), AudioFormat::kUnknown);
  EXPECT_EQ(SniffAudioFormat("OggS"), AudioFormat::kUnknown);
  // A frame sync with a reserved version, a layer other than III, or a bad bitrate.
  EXPECT_EQ(SniffAudioFormat(std::string("\xFF\xEB\x90\x00", 4)), AudioFormat::kUnknown);
  EXPECT_EQ(SniffAudioFormat(std::string("\xFF\xFD\x90\x00", 4)), AudioFormat::kUnknown);
  EXPECT_EQ(SniffAudioFormat(std::string("\xFF\xFB\xF0\x00", 4)), AudioFormat::kUnknown);
  EXPECT_EQ(SniffAudioFormat(std::string("ID3\x04\x00\x00\x00\x00\x00\x14", 10) + "no frame here"),
            AudioFormat::kUnknown);
}

// The page's checksum, bit by bit as RFC 3533 describes it (an independent check of the
// table-driven one), written into bytes 22-25.
void SealOggPage(std::string& page) {
  for (int i = 22; i < 26; ++i) page[i] = '\0';
  std::uint32_t crc = 0;
  for (const char c : page) {
    crc ^= static_cast<std::uint32_t>(static_cast<unsigned char>(c)) << 24;
    for (int k = 0; k < 8; ++k) crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
  }
  for (int i = 0; i < 4; ++i) page[22 + i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
}

TEST(AudioFormatTest, OggCompletenessNeedsWholeIntactPagesEndingWithEndOfStream) {
  std::string page = OggPage("OpusHead");
  SealOggPage(page);
  EXPECT_FALSE(OggStreamComplete(page));  // no EOS flag
  page[5] = '\4';
  SealOggPage(page);
  EXPECT_TRUE(OggStreamComplete(page));
  EXPECT_FALSE(OggStreamComplete(page.substr(0, page.size() - 2)));  // the page is cut short
  std::string damaged = page;
  damaged[29] ^= 0x20;  // one bit of the packet flipped: the checksum no longer matches
  EXPECT_FALSE(OggStreamComplete(damaged));
  EXPECT_TRUE(LooksTruncated(AudioFormat::kOggOpus, damaged));
  EXPECT_FALSE(LooksTruncated(AudioFormat::kOggOpus, page));
  EXPECT_FALSE(OggStreamComplete("not ogg"));
}

TEST(WavEncoderTest, WritesA16BitPcmHeaderAndClampedSamples) {
  PcmAudio a{22050, 1, {0.0f, 1.0f, -1.0f, 2.0f}};
  const std::string wav = EncodeWav16(a);
  ASSERT_EQ(wav.size(), 44u + 8u);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  auto u16 = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(wav[i]) | (static_cast<unsigned char>(wav[i + 1]) << 8)); };
  auto u32 = [&](std::size_t i) { return u16(i) | (u16(i + 2) << 16); };
  EXPECT_EQ(u16(20), 1u);   // PCM
  EXPECT_EQ(u16(22), 1u);   // mono
  EXPECT_EQ(u32(24), 22050u);
  EXPECT_EQ(u16(34), 16u);  // bits
  EXPECT_EQ(u32(40), 8u);   // data bytes
  EXPECT_EQ(u16(46), 32767u);
  EXPECT_EQ(u16(48), static_cast<unsigned>(static_cast<std::uint16_t>(-32767)));
  EXPECT_EQ(u16(50), 32767u);  // 2.0 clamped
}

}  // namespace
}  // namespace atrium::core::audio
