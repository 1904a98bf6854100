#include "core/audio/audio_quality.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include "core/audio/spectrum.hpp"

namespace atrium::core::audio {

namespace {

double Db(double power) { return power > 1e-12 ? 10.0 * std::log10(power) : -120.0; }
double Clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

double LevelTerm(double rms_dbfs) {
  if (rms_dbfs >= -30 && rms_dbfs <= -10) return 1.0;
  if (rms_dbfs < -30) return Clamp01((rms_dbfs + 60) / 30);
  return Clamp01(-rms_dbfs / 10);
}

}  // namespace

AudioQuality AnalyzeQuality(const PcmAudio& input) {
  AudioQuality q;
  const PcmAudio audio = DownmixToMono(input);
  q.duration_s = audio.duration_s();
  const auto& x = audio.samples;
  if (x.empty() || audio.sample_rate <= 0) return q;

  double sum_sq = 0, peak = 0;
  std::size_t clipped = 0;
  for (float s : x) {
    const double a = std::fabs(s);
    sum_sq += a * a;
    peak = std::max(peak, a);
    if (a >= 0.999) ++clipped;
  }
  q.rms_dbfs = Db(sum_sq / static_cast<double>(x.size()));
  q.peak_dbfs = peak > 0 ? 20.0 * std::log10(peak) : -120.0;
  q.clipping_ratio = static_cast<double>(clipped) / static_cast<double>(x.size());

  const std::size_t n = std::max<std::size_t>(64, FloorPowerOfTwo(static_cast<std::size_t>(audio.sample_rate * 0.032)));
  const std::size_t frames = x.size() / n;
  if (frames < 2) return q;  // too short to tell voice from noise
  std::vector<double> energy(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    double e = 0;
    for (std::size_t i = 0; i < n; ++i) e += static_cast<double>(x[f * n + i]) * x[f * n + i];
    energy[f] = e / static_cast<double>(n);
  }
  std::vector<double> sorted = energy;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t noise_count = std::max<std::size_t>(1, frames / 10);
  const double floor = sorted[noise_count - 1];
  const double noise = std::accumulate(sorted.begin(), sorted.begin() + static_cast<long>(noise_count), 0.0) /
                       static_cast<double>(noise_count);
  const double threshold = std::max(floor * 2.0, 1e-10);  // +3 dB over the floor
  std::vector<std::size_t> active;
  double active_power = 0;
  for (std::size_t f = 0; f < frames; ++f) {
    if (energy[f] > threshold) {
      active.push_back(f);
      active_power += energy[f];
    }
  }
  q.voice_activity = static_cast<double>(active.size()) / static_cast<double>(frames);
  if (active.empty()) return q;  // silence or a steady signal: nothing to pick
  active_power /= static_cast<double>(active.size());
  q.snr_db = noise > 1e-12 ? std::clamp(Db(active_power) - Db(noise), 0.0, 60.0) : 60.0;

  const double bin_hz = static_cast<double>(audio.sample_rate) / static_cast<double>(n);
  const double nyquist = audio.sample_rate / 2.0;
  double band = 0, total = 0, flatness_sum = 0;
  for (std::size_t f : active) {
    const auto p = PowerSpectrum(std::span<const float>(x.data() + f * n, n));
    double log_sum = 0, lin_sum = 0;
    std::size_t count = 0;
    for (std::size_t k = 1; k < p.size(); ++k) {
      const double hz = static_cast<double>(k) * bin_hz;
      if (hz >= 50) total += p[k];
      if (hz >= 300 && hz <= 3400) band += p[k];
      if (hz >= 100 && hz <= std::min(8000.0, nyquist)) {
        log_sum += std::log(p[k] + 1e-20);
        lin_sum += p[k] + 1e-20;
        ++count;
      }
    }
    if (count > 0) flatness_sum += std::exp(log_sum / static_cast<double>(count)) / (lin_sum / static_cast<double>(count));
  }
  q.speech_band_ratio = total > 0 ? band / total : 0;
  q.spectral_flatness = Clamp01(flatness_sum / static_cast<double>(active.size()));

  q.score = 4.0 * Clamp01(q.snr_db / 30.0) + 2.0 * q.speech_band_ratio + 1.0 * (1.0 - q.spectral_flatness) +
            1.5 * LevelTerm(q.rms_dbfs) + 1.5 * (1.0 - Clamp01(q.clipping_ratio / 0.01));
  q.score = std::clamp(q.score, 0.0, 10.0);
  return q;
}

}  // namespace atrium::core::audio
