#include "core/audio/audio_quality.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <iostream>
#include <random>

namespace atrium::core::audio {
namespace {

constexpr int kRate = 16000;

// Syllable-like bursts (200 ms of a three-harmonic tone, 100 ms of silence) for two
// seconds, plus speech-band noise (white Gaussian noise through a 300 Hz high-pass and a
// 3400 Hz low-pass, one pole each, scaled to `noise_level` RMS of full scale).
PcmAudio BurstsWithNoise(double noise_level, unsigned seed = 7) {
  PcmAudio a{kRate, 1, std::vector<float>(2 * kRate)};
  std::mt19937 rng(seed);
  std::normal_distribution<double> white(0.0, 1.0);
  std::vector<double> noise(a.samples.size());
  const double hp = std::exp(-2 * std::numbers::pi * 300.0 / kRate);
  const double lp = std::exp(-2 * std::numbers::pi * 3400.0 / kRate);
  double prev_in = 0, hp_out = 0, lp_out = 0, sum_sq = 0;
  for (auto& n : noise) {
    const double x = white(rng);
    hp_out = hp * (hp_out + x - prev_in);
    prev_in = x;
    lp_out = (1 - lp) * hp_out + lp * lp_out;
    n = lp_out;
    sum_sq += n * n;
  }
  const double scale = sum_sq > 0 ? noise_level / std::sqrt(sum_sq / static_cast<double>(noise.size())) : 0;
  for (std::size_t i = 0; i < a.samples.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    double s = 0;
    if (std::fmod(t, 0.3) < 0.2) {
      for (double h : {220.0, 440.0, 880.0}) s += 0.1 * std::sin(2 * std::numbers::pi * h * t);
    }
    a.samples[i] = static_cast<float>(s + scale * noise[i]);
  }
  return a;
}

TEST(AudioQualityTest, SilenceAndSteadySignalsScoreZero) {
  PcmAudio silence{kRate, 1, std::vector<float>(kRate, 0.0f)};
  EXPECT_EQ(AnalyzeQuality(silence).score, 0);
  EXPECT_EQ(AnalyzeQuality(silence).voice_activity, 0);
  PcmAudio empty{kRate, 1, {}};
  EXPECT_EQ(AnalyzeQuality(empty).score, 0);
}

TEST(AudioQualityTest, CleanBurstsScoreHighWithNoiseFloorAtTheTop) {
  const auto q = AnalyzeQuality(BurstsWithNoise(0.0));
  EXPECT_GT(q.score, 8.0);
  EXPECT_DOUBLE_EQ(q.snr_db, 60.0);
  // 2/3 of the time is voiced; frames straddling an edge count as active too.
  EXPECT_GT(q.voice_activity, 0.6);
  EXPECT_LT(q.voice_activity, 0.85);
  EXPECT_LT(q.spectral_flatness, 0.2);
  EXPECT_EQ(q.clipping_ratio, 0);
  EXPECT_NEAR(q.duration_s, 2.0, 1e-9);
}

TEST(AudioQualityTest, MoreSpeechBandNoiseNeverRaisesTheScore) {
  double previous = 11;
  double previous_snr = 61;
  for (double level : {0.0, 0.002, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32}) {
    const auto q = AnalyzeQuality(BurstsWithNoise(level));
    std::cout << "noise " << level << ": score " << q.score << " snr " << q.snr_db << " flatness "
              << q.spectral_flatness << " band " << q.speech_band_ratio << " activity " << q.voice_activity << "\n";
    // Lower at every step while a voice is still heard; 0 (nothing heard) once the noise
    // buries the bursts, and never back up.
    if (previous > 0) {
      EXPECT_LT(q.score, previous) << "noise " << level;
    } else {
      EXPECT_EQ(q.score, 0) << "noise " << level;
    }
    EXPECT_LE(q.snr_db, previous_snr) << "noise " << level;
    EXPECT_GE(q.score, 0);
    previous = q.score;
    previous_snr = q.snr_db;
  }
  EXPECT_LT(previous, 5.0);
}

TEST(AudioQualityTest, ClippingAndLowLevelCostPoints) {
  auto clean = BurstsWithNoise(0.001);
  auto loud = clean;
  for (auto& s : loud.samples) s = std::clamp(s * 40.0f, -1.0f, 1.0f);
  const auto q_clean = AnalyzeQuality(clean);
  const auto q_loud = AnalyzeQuality(loud);
  EXPECT_GT(q_loud.clipping_ratio, 0.01);
  EXPECT_LT(q_loud.score, q_clean.score - 1.0);
  auto quiet = clean;
  for (auto& s : quiet.samples) s *= 0.001f;
  EXPECT_LT(AnalyzeQuality(quiet).rms_dbfs, -60);
  EXPECT_LT(AnalyzeQuality(quiet).score, q_clean.score - 1.0);
}

TEST(AudioQualityTest, StereoIsMeasuredOnItsDownMix) {
  auto mono = BurstsWithNoise(0.01);
  PcmAudio stereo{kRate, 2, {}};
  for (float s : mono.samples) {
    stereo.samples.push_back(s);
    stereo.samples.push_back(s);
  }
  EXPECT_NEAR(AnalyzeQuality(stereo).score, AnalyzeQuality(mono).score, 1e-6);
}

}  // namespace
}  // namespace atrium::core::audio
