// POST /api/voice (second-brain-api.md, "Send Voice Message"): a multipart upload with
// `audio` (WAV, MP3 or OGG, recognised by its bytes, at most 10 MB) and an optional
// `conversationId`, through the speech core (speech-to-text), the chat core (with the
// user's memories as context, the user's message marked voiceInput) and text-to-speech
// back: the answer as 22,050 Hz mono 16-bit WAV in base64, with each stage's time.
// Counted against the spec's Voice API limit (10 per minute per user).

#include <boost/json.hpp>
#include <chrono>

#include "core/chat/chat_service.hpp"
#include "core/codec/base64.hpp"
#include "core/speech/speech_service.hpp"
#include "dialects/secondbrain/chat_turn.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "http/multipart_body.hpp"

namespace atrium::dialects::secondbrain {

namespace {

namespace json = boost::json;
using core::identity::Principal;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxAudio = 10 * 1024 * 1024;
constexpr int kReplyRate = 22050;

std::int64_t Ms(Clock::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

http::ApiError Unavailable(std::string message) {
  http::ApiError e = http::MakeError(http::ErrorKind::kUnavailable, std::move(message));
  e.reason = core::Reason::kSpeechNotConfigured;
  return e;
}

http::ApiError TooLarge() {
  http::ApiError e = http::MakeError(http::ErrorKind::kPayloadTooLarge, "Audio file exceeds 10MB");
  e.reason = core::Reason::kAudioTooLarge;
  return e;
}

}  // namespace

void AddVoiceRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  http::RouteOptions options;
  // The audio and the form's framing: a larger body is refused (413) as it arrives.
  options.body_limit = kMaxAudio + 64 * 1024;

  AddApi(site, http::Method::kPost, "/voice",
         ctx.Authed(ctx.rules().voice, [&services](http::Request& req, const Principal& who) -> http::Reply {
           const auto started = Clock::now();
           auto parts = http::ParseMultipartRequest(req);
           if (!parts) return std::move(parts).error();
           const auto* audio = http::FindPart(*parts, "audio");
           if (audio == nullptr || audio->body.empty()) return FieldError("audio", "audio is required (a WAV, MP3 or OGG file)");
           if (audio->body.size() > kMaxAudio) return TooLarge();
           ChatRequest request;
           if (const auto* id = http::FindPart(*parts, "conversationId"); id != nullptr && !id->body.empty()) {
             request.conversation_id = std::string(id->body);
           }
           // Both engines are needed: say which one is missing before doing any work.
           if (!services.speech.stt_configured()) {
             return Unavailable("STT service unavailable: no speech-to-text engine is configured");
           }
           if (!services.speech.tts_configured()) {
             return Unavailable("TTS service unavailable: no text-to-speech engine is configured");
           }
           auto heard = services.speech.Transcribe(audio->body, {});
           if (!heard) {
             if (heard.error().reason() == core::Reason::kAudioTooLarge) return TooLarge();
             return ToApiError(heard.error());
           }
           std::string transcript = heard->transcript.text;
           if (transcript.find_first_not_of(" \t\r\n") == std::string::npos) {
             return FieldError("audio", "No speech was recognised in the audio");
           }
           request.message = transcript;
           request.voice_input = true;
           auto turn_options = TurnFor(services, who.user_id, request);
           if (!turn_options) return std::move(turn_options).error();
           const auto llm_started = Clock::now();
           auto turn = services.chat.Send(*turn_options);
           if (!turn) return ChatError(turn.error());
           const auto llm_ms = Ms(Clock::now() - llm_started);
           const auto& answer = turn->assistant_message;
           core::speech::SpeakOptions speak;
           speak.sample_rate = kReplyRate;
           auto spoken = services.speech.Speak(answer.content, speak);
           if (!spoken) return ToApiError(spoken.error());
           json::object metadata{{"sttTime", static_cast<std::int64_t>(heard->stt_ms + heard->decode_ms)},
                                 {"llmTime", llm_ms},
                                 {"ttsTime", static_cast<std::int64_t>(spoken->tts_ms)},
                                 {"totalTime", Ms(Clock::now() - started)},
                                 {"tokensUsed", answer.generation ? answer.generation->total_tokens : 0}};
           json::array context;
           for (const auto& id : answer.annotations.context_ids) context.emplace_back(id);
           metadata["retrievedContext"] = std::move(context);
           return http::JsonReply(200, {{"messageId", answer.id},
                                        {"conversationId", turn->conversation.id},
                                        {"transcript", std::move(transcript)},
                                        {"responseText", answer.content},
                                        {"responseAudio", core::Base64Encode(spoken->wav)},
                                        {"metadata", std::move(metadata)},
                                        {"timestamp", SpecTimestamp(answer.created_at)}});
         }),
         options);
}

}  // namespace atrium::dialects::secondbrain
