#include "engines/stt/pocketsphinx_engine.hpp"

#include <pocketsphinx.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <vector>

namespace atrium::engines::stt {

namespace {

using core::Error;
using core::ErrorCode;
using core::Reason;

Error Unavailable(const std::string& why) {
  return Error(ErrorCode::kUnavailable, "Speech recognition is unavailable", why).WithReason(Reason::kSpeechUnavailable);
}

}  // namespace

PocketsphinxEngine::PocketsphinxEngine(PocketsphinxOptions options) : options_(std::move(options)) {}

PocketsphinxEngine::~PocketsphinxEngine() {
  for (auto* d : idle_) ps_free(d);
}

std::string PocketsphinxEngine::Missing() const {
  namespace fs = std::filesystem;
  const fs::path dir = options_.model_dir;
  std::vector<fs::path> needed = {dir / "en-us" / "mdef", dir / "cmudict-en-us.dict"};
  needed.push_back(options_.grammar_path.empty() ? dir / "en-us.lm.bin" : fs::path(options_.grammar_path));
  for (const auto& p : needed) {
    std::error_code ec;
    if (!fs::exists(p, ec)) return p.string();
  }
  return "";
}

core::Result<ps_decoder_s*> PocketsphinxEngine::Take() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto* d = idle_.back();
      idle_.pop_back();
      return d;
    }
    if (made_ >= options_.max_decoders) return Unavailable("every pocketsphinx decoder is in use");
    ++made_;
  }
  const std::string missing = Missing();
  if (!missing.empty()) {
    std::lock_guard lock(mu_);
    --made_;
    return Unavailable("pocketsphinx model file missing: " + missing);
  }
  const std::string hmm = options_.model_dir + "/en-us";
  const std::string lm = options_.model_dir + "/en-us.lm.bin";
  const std::string dict = options_.model_dir + "/cmudict-en-us.dict";
  const bool grammar = !options_.grammar_path.empty();
  cmd_ln_t* config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), grammar ? "-jsgf" : "-lm",
                                 grammar ? options_.grammar_path.c_str() : lm.c_str(), "-dict", dict.c_str(),
                                 "-logfn", "/dev/null", nullptr);
  ps_decoder_t* decoder = config != nullptr ? ps_init(config) : nullptr;
  if (config != nullptr) cmd_ln_free_r(config);  // the decoder holds its own reference
  if (decoder == nullptr) {
    std::lock_guard lock(mu_);
    --made_;
    load_error_ = "pocketsphinx could not load the model in " + options_.model_dir;
    return Unavailable(load_error_);
  }
  return decoder;
}

void PocketsphinxEngine::Give(ps_decoder_s* decoder) {
  std::lock_guard lock(mu_);
  idle_.push_back(decoder);
}

core::Result<core::speech::Transcript> PocketsphinxEngine::Transcribe(const core::audio::PcmAudio& mono,
                                                                      const core::speech::SttOptions& options) {
  if (mono.channels != 1 || mono.sample_rate != sample_rate()) {
    return Error(ErrorCode::kInternal, "pocketsphinx takes 16 kHz mono audio");
  }
  if (!options.language.empty() && options.language.rfind("en", 0) != 0) {
    return Error(ErrorCode::kInvalidArgument, "The embedded recogniser knows English only (language 'en')")
        .WithReason(Reason::kSpeechUnavailable);
  }
  auto taken = Take();
  if (!taken) return taken.error();
  ps_decoder_t* ps = *taken;
  struct Back {
    PocketsphinxEngine* self;
    ps_decoder_t* d;
    ~Back() { self->Give(d); }
  } back{this, ps};

  if (ps_start_utt(ps) < 0) return Unavailable("ps_start_utt failed");
  std::vector<int16> block(8000);  // 0.5 s
  const auto& x = mono.samples;
  for (std::size_t at = 0; at < x.size(); at += block.size()) {
    if (std::chrono::steady_clock::now() > options.deadline) {
      ps_end_utt(ps);
      return Error(ErrorCode::kUnavailable, "Speech recognition timed out").WithReason(Reason::kSpeechTimeout);
    }
    const std::size_t n = std::min(block.size(), x.size() - at);
    for (std::size_t i = 0; i < n; ++i) {
      block[i] = static_cast<int16>(std::lrint(std::clamp(x[at + i], -1.0f, 1.0f) * 32767.0f));
    }
    if (ps_process_raw(ps, block.data(), n, FALSE, FALSE) < 0) {
      ps_end_utt(ps);
      return Unavailable("ps_process_raw failed");
    }
  }
  ps_end_utt(ps);
  int32 score = 0;
  const char* hyp = ps_get_hyp(ps, &score);
  core::speech::Transcript t;
  t.text = hyp != nullptr ? hyp : "";
  t.language = "en";
  // The posterior probability of the hypothesis, a log in the decoder's base.
  const int32 prob = ps_get_prob(ps);
  logmath_t* lmath = ps_get_logmath(ps);
  if (lmath != nullptr && !t.text.empty()) t.confidence = std::clamp(logmath_exp(lmath, prob), 0.0, 1.0);
  return t;
}

core::speech::EngineStatus PocketsphinxEngine::Status() {
  core::speech::EngineStatus s{.name = "pocketsphinx", .kind = "embedded"};
  const std::string missing = Missing();
  std::lock_guard lock(mu_);
  if (!missing.empty()) {
    s.detail = "model file missing: " + missing;
  } else if (!load_error_.empty() && made_ == 0) {
    s.detail = load_error_;
  } else {
    s.available = true;
    s.detail = "en-us (" + options_.model_dir + ")" +
               (options_.grammar_path.empty() ? "" : ", grammar " + options_.grammar_path) + ", " +
               std::to_string(made_) + " decoder(s) loaded";
  }
  return s;
}

}  // namespace atrium::engines::stt
