#pragma once
// Speech-to-text in process with CMU pocketsphinx and Debian's en-us model (acoustic
// model, language model, dictionary under /usr/share/pocketsphinx/model/en-us). A
// decoder takes ~1 s and ~100 MB to load, so decoders are made on first use and kept
// in a small pool (one per concurrent job, at most `max_decoders`); one decoder is used
// by one thread at a time. Audio goes in 0.5 s blocks so a job past its deadline stops.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/speech/speech_to_text.hpp"

struct ps_decoder_s;

namespace atrium::engines::stt {

struct PocketsphinxOptions {
  std::string model_dir = "/usr/share/pocketsphinx/model/en-us";
  // A JSGF grammar of the phrases to expect (a household's commands) instead of the
  // open-vocabulary language model: far more accurate on what it covers, deaf to the rest.
  std::string grammar_path;
  std::size_t max_decoders = 2;
};

class PocketsphinxEngine final : public core::speech::SpeechToText {
 public:
  explicit PocketsphinxEngine(PocketsphinxOptions options);
  ~PocketsphinxEngine() override;

  std::string_view name() const override { return "pocketsphinx"; }
  int sample_rate() const override { return 16000; }
  core::Result<core::speech::Transcript> Transcribe(const core::audio::PcmAudio& mono,
                                                    const core::speech::SttOptions& options) override;
  core::speech::EngineStatus Status() override;

 private:
  core::Result<ps_decoder_s*> Take();
  void Give(ps_decoder_s* decoder);
  std::string Missing() const;  // the first model file that is not there, or ""

  const PocketsphinxOptions options_;
  std::mutex mu_;
  std::vector<ps_decoder_s*> idle_;
  std::size_t made_ = 0;
  std::string load_error_;
};

}  // namespace atrium::engines::stt
