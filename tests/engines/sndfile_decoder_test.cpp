// The decoder on real files in every format, made here with Debian's sox, lame and
// opusenc: each one decoded, down-mixed and resampled with its tone intact; cut short,
// mislabelled, not audio at all, or past a limit, each one refused as invalid audio.

#include "engines/audio/sndfile_decoder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/audio/spectrum.hpp"
#include "core/audio/wav_encoder.hpp"
#include "support/temp_dir.hpp"

namespace atrium::engines::audio {
namespace {

using core::Reason;
using core::audio::AudioFormat;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The loudest frequency of the middle 4096 samples.
double PeakHz(const core::audio::PcmAudio& a) {
  const std::size_t n = 4096;
  if (a.samples.size() < n) return 0;
  const std::size_t at = (a.samples.size() - n) / 2;
  const auto p = core::audio::PowerSpectrum(std::span<const float>(a.samples.data() + at, n));
  const auto k = static_cast<std::size_t>(std::max_element(p.begin() + 1, p.end()) - p.begin());
  return static_cast<double>(k) * a.sample_rate / static_cast<double>(n);
}

class SndfileDecoderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto sh = [](const std::string& cmd) {
      ASSERT_EQ(std::system((cmd + " 2>/dev/null").c_str()), 0) << cmd;
    };
    const std::string d = dir_->path().string() + "/";
    sh("sox -n -r 44100 -c 2 -b 16 " + d + "s16.wav synth 1 sine 440");
    sh("sox -n -r 8000 -c 1 -b 8 -e unsigned-integer " + d + "u8.wav synth 1 sine 440");
    sh("sox -n -r 48000 -c 1 -b 24 " + d + "s24.wav synth 1 sine 440");
    sh("sox -n -r 22050 -c 1 -b 32 " + d + "s32.wav synth 1 sine 440");
    sh("sox -n -r 32000 -c 1 -b 32 -e floating-point " + d + "f32.wav synth 1 sine 440");
    sh("sox -n -r 48000 -c 2 " + d + "tone.flac synth 1 sine 440");
    sh("sox -n -r 44100 -c 1 " + d + "tone.ogg synth 1 sine 440");
    sh("sox -n -r 48000 -c 1 -b 16 " + d + "tone48.wav synth 1 sine 440");
    sh("opusenc --quiet " + d + "tone48.wav " + d + "tone.opus");
    sh("lame --quiet " + d + "s16.wav " + d + "tone.mp3");
    sh("sox -n -r 16000 -c 10 -b 16 " + d + "ten.wav synth 0.2 sine 440");
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string File(const std::string& name) { return ReadFile(dir_->File(name)); }

  core::Result<core::audio::DecodedAudio> Decode(std::string_view bytes, core::audio::DecodeLimits limits = {},
                                                 core::audio::DecodeOptions options = {16000, true}) {
    return decoder_.Decode(bytes, limits, options);
  }
  void ExpectInvalid(std::string_view bytes, Reason reason = Reason::kInvalidAudio, core::audio::DecodeLimits limits = {}) {
    auto r = Decode(bytes, limits);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().reason(), reason) << r.error().safe_message();
  }

  static testing::TempDir* dir_;
  SndfileDecoder decoder_;
};

testing::TempDir* SndfileDecoderTest::dir_ = nullptr;

TEST_F(SndfileDecoderTest, EveryFormatDecodesTo16kMonoWithItsToneIntact) {
  const std::vector<std::pair<std::string, AudioFormat>> files = {
      {"s16.wav", AudioFormat::kWav},   {"u8.wav", AudioFormat::kWav},        {"s24.wav", AudioFormat::kWav},
      {"s32.wav", AudioFormat::kWav},   {"f32.wav", AudioFormat::kWav},       {"tone.flac", AudioFormat::kFlac},
      {"tone.ogg", AudioFormat::kOggVorbis}, {"tone.opus", AudioFormat::kOggOpus}, {"tone.mp3", AudioFormat::kMp3}};
  for (const auto& [name, format] : files) {
    SCOPED_TRACE(name);
    auto r = Decode(File(name));
    ASSERT_TRUE(r.ok()) << r.error().safe_message();
    EXPECT_EQ(r->format, format);
    EXPECT_EQ(r->pcm.sample_rate, 16000);
    EXPECT_EQ(r->pcm.channels, 1);
    EXPECT_NEAR(r->pcm.duration_s(), 1.0, 0.1);  // MP3 and Opus add a little padding
    EXPECT_NEAR(PeakHz(r->pcm), 440.0, 8.0);
  }
}

TEST_F(SndfileDecoderTest, KeepsRateAndChannelsWhenNotAskedToConvert) {
  auto r = Decode(File("s16.wav"), {}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->pcm.sample_rate, 44100);
  EXPECT_EQ(r->pcm.channels, 2);
  EXPECT_EQ(r->source_rate, 44100);
  EXPECT_EQ(r->source_channels, 2);
  EXPECT_EQ(r->pcm.frames(), 44100u);
}

TEST_F(SndfileDecoderTest, TruncatedFilesAreInvalid) {
  for (const std::string name : {"s16.wav", "s24.wav", "tone.flac", "tone.ogg", "tone.opus", "tone.mp3"}) {
    SCOPED_TRACE(name);
    const std::string whole = File(name);
    ExpectInvalid(whole.substr(0, whole.size() * 6 / 10));
  }
}

TEST_F(SndfileDecoderTest, MislabelledAndNonAudioBytesAreInvalid) {
  const std::string wav = File("s16.wav");
  const std::string mp3 = File("tone.mp3");
  ExpectInvalid(wav.substr(0, 44) + mp3);          // a WAV header over MP3 data
  std::string flac_as_wav = File("tone.flac");
  flac_as_wav.replace(0, 4, "RIFF");               // claims RIFF, is not
  ExpectInvalid(flac_as_wav);
  ExpectInvalid("");
  ExpectInvalid("\x89PNG\r\n\x1a\n" + std::string(100, 'x'));
  ExpectInvalid(std::string(4096, '\0'));
  std::string noise(8192, '\0');
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 7919 + 13) % 251);
  ExpectInvalid(noise);
  ExpectInvalid("RIFF\x24\0\0\0WAVEfmt " + std::string(24, '\xff'));  // nonsense format chunk
}

TEST_F(SndfileDecoderTest, LimitsOnSizeDurationAndChannels) {
  const std::string wav = File("s16.wav");
  ExpectInvalid(wav, Reason::kAudioTooLarge, {.max_bytes = wav.size() - 1});
  ExpectInvalid(wav, Reason::kAudioTooLong, {.max_seconds = 0.5});
  ExpectInvalid(File("tone.mp3"), Reason::kAudioTooLong, {.max_seconds = 0.5});
  ExpectInvalid(File("ten.wav"), Reason::kInvalidAudio, {.max_channels = 8});
}

TEST_F(SndfileDecoderTest, EveryPrefixOfAFileIsEitherDecodedOrRefusedNeverACrash) {
  for (const std::string name : {"s16.wav", "tone.flac", "tone.ogg", "tone.mp3"}) {
    const std::string whole = File(name);
    for (std::size_t cut = 0; cut < whole.size(); cut += std::max<std::size_t>(1, whole.size() / 97)) {
      auto r = Decode(whole.substr(0, cut));
      if (!r.ok()) {
        EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidArgument) << name << " cut " << cut;
      }
    }
  }
}

TEST_F(SndfileDecoderTest, ResamplesOurOwnWavOutput) {
  core::audio::PcmAudio a{22050, 1, {}};
  for (int i = 0; i < 22050; ++i) a.samples.push_back(static_cast<float>(0.3 * std::sin(2 * std::numbers::pi * 440 * i / 22050.0)));
  auto r = decoder_.Resample(a, 16000);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(static_cast<double>(r->samples.size()), 16000.0, 2.0);
  EXPECT_NEAR(PeakHz(*r), 440.0, 8.0);
  auto decoded = Decode(core::audio::EncodeWav16(a));
  ASSERT_TRUE(decoded.ok());
  EXPECT_NEAR(PeakHz(decoded->pcm), 440.0, 8.0);
}

}  // namespace
}  // namespace atrium::engines::audio
