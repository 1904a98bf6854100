#pragma once
// Audio quality measured from the samples themselves (a client's own numbers are never
// trusted), and one 0-10 score for picking the best of several recordings of the same
// utterance (mira's stream selection).
//
// The audio is cut into ~32 ms frames (a power of two of samples). Frames whose energy is
// more than 3 dB above the noise floor (the 10th percentile of frame energies) are voice
// activity; the noise is the quietest 10 % of frames.
//
//   snr_db              10 log10(mean power of active frames / mean power of the noise
//                       frames), 0 to 60 (60 when the noise frames are silent)
//   speech_band_ratio   share of spectral energy in 300-3400 Hz of everything above 50 Hz,
//                       over active frames (0-1)
//   spectral_flatness   geometric over arithmetic mean of the power spectrum in 100-8000 Hz
//                       (capped at the Nyquist frequency), over active frames: near 0 for
//                       tones and voiced speech, near 1 for white noise
//   rms_dbfs, peak_dbfs level of the whole recording (-120 for silence)
//   clipping_ratio      share of samples at or beyond 0.999 full scale
//   voice_activity      share of frames that are active (0-1)
//
// score (0-10) = 4.0 * clamp(snr_db / 30)                       signal over noise
//              + 2.0 * speech_band_ratio + 1.0 * (1 - spectral_flatness)   clarity
//              + 1.5 * level term  (1 from -30 to -10 dBFS rms, falling linearly to 0
//                                   at -60 dBFS and at 0 dBFS)
//              + 1.5 * (1 - clamp(clipping_ratio / 0.01))        no clipping
// and 0 when there is no voice activity at all (silence or a constant signal).

#include "core/audio/pcm_audio.hpp"

namespace atrium::core::audio {

struct AudioQuality {
  double snr_db = 0;
  double speech_band_ratio = 0;
  double spectral_flatness = 1;
  double rms_dbfs = -120;
  double peak_dbfs = -120;
  double clipping_ratio = 0;
  double voice_activity = 0;
  double duration_s = 0;
  double score = 0;  // 0-10, see above
};

AudioQuality AnalyzeQuality(const PcmAudio& audio);

}  // namespace atrium::core::audio
