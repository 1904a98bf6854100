#include "core/speech/http_speech_to_text.hpp"

#include <boost/json.hpp>

#include "core/audio/wav_encoder.hpp"
#include "core/net/multipart_form.hpp"

namespace atrium::core::speech {

Result<Transcript> HttpSpeechToText::Transcribe(const audio::PcmAudio& mono, const SttOptions& options) {
  net::MultipartForm form("atrium-" + NewUuid(random_));
  form.AddFile("file", "audio.wav", "audio/wav", audio::EncodeWav16(mono));
  if (!upstream_.config().model.empty()) form.AddField("model", upstream_.config().model);
  if (!options.language.empty()) form.AddField("language", options.language);
  if (!options.prompt.empty()) form.AddField("prompt", options.prompt);
  form.AddField("response_format", "json");
  auto r = upstream_.Post("/audio/transcriptions", form.ContentType(), form.Finish(), options.deadline);
  if (!r) return r.error();
  boost::system::error_code ec;
  auto v = boost::json::parse(r->body, ec);
  const boost::json::value* text = (!ec && v.is_object()) ? v.as_object().if_contains("text") : nullptr;
  if (text == nullptr || !text->is_string()) {
    return Error(ErrorCode::kUnavailable, "The speech upstream answered badly", "no \"text\" in the transcription")
        .WithReason(Reason::kSpeechUnavailable);
  }
  Transcript t;
  t.text = std::string(text->as_string());
  while (!t.text.empty() && (t.text.front() == ' ' || t.text.front() == '\n')) t.text.erase(0, 1);
  while (!t.text.empty() && (t.text.back() == ' ' || t.text.back() == '\n')) t.text.pop_back();
  const auto* language = v.as_object().if_contains("language");
  t.language = language != nullptr && language->is_string() ? std::string(language->as_string()) : options.language;
  return t;
}

}  // namespace atrium::core::speech
