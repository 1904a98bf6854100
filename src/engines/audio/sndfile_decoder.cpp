#include "engines/audio/sndfile_decoder.hpp"

#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

namespace atrium::engines::audio {

namespace {

using core::Error;
using core::ErrorCode;
using core::Reason;
using core::audio::AudioFormat;

struct Memory {
  std::string_view bytes;
  sf_count_t pos = 0;
};

sf_count_t VLen(void* user) { return static_cast<sf_count_t>(static_cast<Memory*>(user)->bytes.size()); }
sf_count_t VSeek(sf_count_t offset, int whence, void* user) {
  auto* m = static_cast<Memory*>(user);
  const auto size = static_cast<sf_count_t>(m->bytes.size());
  sf_count_t to = whence == SEEK_SET ? offset : whence == SEEK_CUR ? m->pos + offset : size + offset;
  if (to < 0 || to > size) return -1;
  m->pos = to;
  return to;
}
sf_count_t VRead(void* ptr, sf_count_t count, void* user) {
  auto* m = static_cast<Memory*>(user);
  const auto size = static_cast<sf_count_t>(m->bytes.size());
  const sf_count_t n = std::max<sf_count_t>(0, std::min(count, size - m->pos));
  if (n > 0) std::memcpy(ptr, m->bytes.data() + m->pos, static_cast<std::size_t>(n));
  m->pos += n;
  return n;
}
sf_count_t VWrite(const void*, sf_count_t, void*) { return 0; }
sf_count_t VTell(void* user) { return static_cast<Memory*>(user)->pos; }

Error Invalid(const std::string& why) {
  return Error(ErrorCode::kInvalidArgument, "Invalid audio: " + why).WithReason(Reason::kInvalidAudio);
}

bool Agrees(AudioFormat sniffed, int sf_format) {
  const int major = sf_format & SF_FORMAT_TYPEMASK;
  const int sub = sf_format & SF_FORMAT_SUBMASK;
  switch (sniffed) {
    case AudioFormat::kWav: return major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX || major == SF_FORMAT_RF64;
    case AudioFormat::kFlac: return major == SF_FORMAT_FLAC;
    case AudioFormat::kOggVorbis: return major == SF_FORMAT_OGG && sub == SF_FORMAT_VORBIS;
    case AudioFormat::kOggOpus: return major == SF_FORMAT_OGG && sub == SF_FORMAT_OPUS;
    case AudioFormat::kMp3: return major == SF_FORMAT_MPEG;
    case AudioFormat::kUnknown: return false;
  }
  return false;
}

// Streams mono blocks through soxr (or straight through when the rate stays).
class BlockResampler {
 public:
  static core::Result<BlockResampler> Create(int in_rate, int out_rate) {
    BlockResampler r;
    r.ratio_ = static_cast<double>(out_rate) / in_rate;
    if (in_rate == out_rate) return r;
    soxr_error_t err = nullptr;
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
    r.soxr_.reset(soxr_create(in_rate, out_rate, 1, &err, &io, &q, nullptr));
    if (err != nullptr || !r.soxr_) return Error(ErrorCode::kInternal, std::string("soxr: ") + (err ? err : "create"));
    return r;
  }
  // `in` null: flush what soxr still holds.
  core::Result<void> Push(const float* in, std::size_t n, std::vector<float>& out) {
    if (!soxr_) {
      if (in != nullptr) out.insert(out.end(), in, in + n);
      return core::Ok{};
    }
    const std::size_t room = static_cast<std::size_t>(static_cast<double>(n) * ratio_) + 4096;
    for (;;) {
      const std::size_t at = out.size();
      out.resize(at + room);
      std::size_t idone = 0, odone = 0;
      soxr_error_t err = soxr_process(soxr_.get(), in, in != nullptr ? n : 0, &idone, out.data() + at, room, &odone);
      out.resize(at + odone);
      if (err != nullptr) return Error(ErrorCode::kInternal, std::string("soxr: ") + err);
      if (in == nullptr) {
        if (odone == 0) break;  // flushed
        continue;
      }
      in += idone;
      n -= idone;
      if (n == 0 || (idone == 0 && odone == 0)) break;
    }
    return core::Ok{};
  }

 private:
  struct Free {
    void operator()(soxr* s) const { soxr_delete(s); }
  };
  std::unique_ptr<soxr, Free> soxr_;
  double ratio_ = 1;
};

}  // namespace

core::Result<core::audio::DecodedAudio> SndfileDecoder::Decode(std::string_view bytes,
                                                               const core::audio::DecodeLimits& limits,
                                                               const core::audio::DecodeOptions& options) {
  if (bytes.size() > limits.max_bytes) {
    return Error(ErrorCode::kInvalidArgument,
                 "Audio is larger than " + std::to_string(limits.max_bytes / (1024 * 1024)) + " MiB")
        .WithReason(Reason::kAudioTooLarge);
  }
  if (bytes.empty()) return Invalid("the file is empty");
  const AudioFormat sniffed = core::audio::SniffAudioFormat(bytes);
  if (sniffed == AudioFormat::kUnknown) {
    return Invalid("not a WAV, FLAC, Ogg (Vorbis or Opus) or MP3 file");
  }
  if (core::audio::LooksTruncated(sniffed, bytes)) {
    return Invalid("truncated (the " + std::string(core::audio::AudioFormatName(sniffed)) +
                   " header promises more than the file holds)");
  }
  Memory mem{bytes};
  SF_VIRTUAL_IO vio{VLen, VSeek, VRead, VWrite, VTell};
  SF_INFO info{};
  std::unique_ptr<SNDFILE, int (*)(SNDFILE*)> sf(sf_open_virtual(&vio, SFM_READ, &info, &mem), &sf_close);
  if (!sf) return Invalid(std::string(core::audio::AudioFormatName(sniffed)) + ": " + sf_strerror(nullptr));
  if (!Agrees(sniffed, info.format)) {
    return Invalid("the data is not the " + std::string(core::audio::AudioFormatName(sniffed)) + " its header says");
  }
  if (info.channels < 1 || info.channels > limits.max_channels) {
    return Invalid(std::to_string(info.channels) + " channels (at most " + std::to_string(limits.max_channels) + ")");
  }
  if (info.samplerate < 1000 || info.samplerate > 384000) return Invalid("sample rate " + std::to_string(info.samplerate));
  const double max_frames = limits.max_seconds * info.samplerate;
  auto too_long = [&] {
    return Error(ErrorCode::kInvalidArgument,
                 "Audio is longer than " + std::to_string(static_cast<int>(limits.max_seconds)) + " seconds")
        .WithReason(Reason::kAudioTooLong);
  };
  const bool frames_known = info.frames > 0 && info.frames != SF_COUNT_MAX;
  if (frames_known && static_cast<double>(info.frames) > max_frames + info.samplerate) return too_long();

  const int out_rate = options.sample_rate > 0 ? options.sample_rate : info.samplerate;
  const bool mono = options.mono || info.channels == 1;
  core::audio::DecodedAudio out;
  out.format = sniffed;
  out.source_rate = info.samplerate;
  out.source_channels = info.channels;
  out.pcm.sample_rate = out_rate;
  out.pcm.channels = mono ? 1 : info.channels;
  if (!mono && out_rate != info.samplerate) {
    return Error(ErrorCode::kInternal, "resampling keeps one channel only; ask for mono");
  }
  auto resampler = BlockResampler::Create(info.samplerate, out_rate);
  if (!resampler) return resampler.error();

  const std::size_t ch = static_cast<std::size_t>(info.channels);
  constexpr sf_count_t kBlock = 4096;
  std::vector<float> block(static_cast<std::size_t>(kBlock) * ch);
  std::vector<float> mono_block(static_cast<std::size_t>(kBlock));
  sf_count_t total = 0;
  for (;;) {
    const sf_count_t got = sf_readf_float(sf.get(), block.data(), kBlock);
    if (got <= 0) break;
    total += got;
    if (static_cast<double>(total) > max_frames) return too_long();
    for (std::size_t i = 0; i < static_cast<std::size_t>(got) * ch; ++i) {
      if (!std::isfinite(block[i])) block[i] = 0;  // a float WAV may hold anything
    }
    if (!mono) {
      out.pcm.samples.insert(out.pcm.samples.end(), block.begin(), block.begin() + got * static_cast<sf_count_t>(ch));
      continue;
    }
    const float* src = block.data();
    if (ch > 1) {
      for (sf_count_t f = 0; f < got; ++f) {
        float sum = 0;
        for (std::size_t c = 0; c < ch; ++c) sum += block[static_cast<std::size_t>(f) * ch + c];
        mono_block[static_cast<std::size_t>(f)] = sum / static_cast<float>(ch);
      }
      src = mono_block.data();
    }
    if (auto r = resampler->Push(src, static_cast<std::size_t>(got), out.pcm.samples); !r) return r.error();
  }
  if (sf_error(sf.get()) != SF_ERR_NO_ERROR) return Invalid(sf_strerror(sf.get()));
  if (total == 0) return Invalid("no audio in the file");
  // A header that promises more than the data holds: cut short in transit.
  const int major = info.format & SF_FORMAT_TYPEMASK;
  if (frames_known && total < info.frames && major != SF_FORMAT_MPEG) {
    return Invalid("truncated (" + std::to_string(total) + " of " + std::to_string(info.frames) + " frames)");
  }
  if (mono) {
    if (auto r = resampler->Push(nullptr, 0, out.pcm.samples); !r) return r.error();
  }
  return out;
}

core::Result<core::audio::PcmAudio> SndfileDecoder::Resample(const core::audio::PcmAudio& mono, int sample_rate) {
  if (mono.channels != 1) return Error(ErrorCode::kInternal, "Resample takes mono audio");
  core::audio::PcmAudio out;
  out.sample_rate = sample_rate;
  out.channels = 1;
  auto resampler = BlockResampler::Create(mono.sample_rate, sample_rate);
  if (!resampler) return resampler.error();
  if (auto r = resampler->Push(mono.samples.data(), mono.samples.size(), out.samples); !r) return r.error();
  if (auto r = resampler->Push(nullptr, 0, out.samples); !r) return r.error();
  return out;
}

}  // namespace atrium::engines::audio
