// POST /api/voice (second-brain-api.md, "Send Voice Message"): a multipart upload with
// `audio` (WAV, MP3 or OGG, recognised by its bytes, at most 10 MB) and an optional
// `conversationId`, run as one voice turn (voice_turn.hpp): the answer as 22,050 Hz
// mono 16-bit WAV in base64, with each stage's time. Counted against the spec's Voice
// API limit (10 per minute per user).

#include <boost/json.hpp>
#include <chrono>

#include "core/codec/base64.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "dialects/secondbrain/voice_turn.hpp"
#include "http/json_body.hpp"
#include "http/multipart_body.hpp"

namespace atrium::dialects::secondbrain {

namespace json = boost::json;
using core::identity::Principal;

void AddVoiceRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  http::RouteOptions options;
  // The audio and the form's framing: a larger body is refused (413) as it arrives.
  options.body_limit = kMaxVoiceAudio + 64 * 1024;

  AddApi(site, http::Method::kPost, "/voice",
         ctx.Authed(ctx.rules().voice, [&services](http::Request& req, const Principal& who) -> http::Reply {
           const auto started = std::chrono::steady_clock::now();
           auto parts = http::ParseMultipartRequest(req);
           if (!parts) return std::move(parts).error();
           const auto* audio = http::FindPart(*parts, "audio");
           if (audio == nullptr || audio->body.empty()) {
             return FieldError("audio", "audio is required (a WAV, MP3 or OGG file)");
           }
           std::string conversation_id;
           if (const auto* id = http::FindPart(*parts, "conversationId"); id != nullptr) {
             conversation_id = std::string(id->body);
           }
           auto voice = RunVoiceTurn(services, who.user_id, audio->body, conversation_id);
           if (!voice) return std::move(voice).error();
           const auto& answer = voice->turn.assistant_message;
           const auto total = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - started)
                                  .count();
           json::array context;
           for (const auto& id : answer.annotations.context_ids) context.emplace_back(id);
           json::object metadata{{"sttTime", voice->stt_ms},
                                 {"llmTime", voice->llm_ms},
                                 {"ttsTime", voice->tts_ms},
                                 {"totalTime", static_cast<std::int64_t>(total)},
                                 {"tokensUsed", answer.generation ? answer.generation->total_tokens : 0},
                                 {"retrievedContext", std::move(context)}};
           return http::JsonReply(200, {{"messageId", answer.id},
                                        {"conversationId", voice->turn.conversation.id},
                                        {"transcript", voice->transcript},
                                        {"responseText", answer.content},
                                        {"responseAudio", core::Base64Encode(voice->wav)},
                                        {"metadata", std::move(metadata)},
                                        {"timestamp", SpecTimestamp(answer.created_at)}});
         }),
         options);
}

}  // namespace atrium::dialects::secondbrain
