#include "core/speech/http_text_to_speech.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace atrium::core::speech {

std::vector<std::string> HttpTextToSpeech::Voices() {
  const auto& c = upstream_.config();
  if (!c.voices.empty()) return c.voices;
  return c.voice.empty() ? std::vector<std::string>{} : std::vector<std::string>{c.voice};
}

Result<audio::PcmAudio> HttpTextToSpeech::Synthesize(std::string_view text, const TtsOptions& options) {
  const auto& c = upstream_.config();
  const std::string voice = options.voice.empty() ? c.voice : options.voice;
  const auto voices = Voices();
  if (!voices.empty() && std::find(voices.begin(), voices.end(), voice) == voices.end()) {
    return Error(ErrorCode::kInvalidArgument, "Unknown voice '" + voice + "'").WithReason(Reason::kInvalidVoice);
  }
  boost::json::object body{{"input", std::string(text)}, {"response_format", "wav"}};
  if (!c.model.empty()) body["model"] = c.model;
  if (!voice.empty()) body["voice"] = voice;
  if (options.rate_wpm > 0) body["speed"] = std::clamp(options.rate_wpm / 175.0, 0.25, 4.0);
  auto r = upstream_.Post("/audio/speech", "application/json", boost::json::serialize(body), options.deadline);
  if (!r) return r.error();
  audio::DecodeLimits limits;
  limits.max_bytes = 256u << 20;
  limits.max_seconds = 3600;
  auto decoded = decoder_.Decode(r->body, limits, {.sample_rate = 0, .mono = true});
  if (!decoded) {
    return Error(ErrorCode::kUnavailable, "The speech upstream answered badly",
                 "its audio: " + decoded.error().safe_message())
        .WithReason(Reason::kSpeechUnavailable);
  }
  return std::move(decoded->pcm);
}

}  // namespace atrium::core::speech
