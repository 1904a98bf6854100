#include "dialects/secondbrain/voice_turn.hpp"

#include <chrono>

#include "core/speech/speech_service.hpp"
#include "dialects/secondbrain/chat_turn.hpp"
#include "dialects/secondbrain/context.hpp"

namespace atrium::dialects::secondbrain {

namespace {

using Clock = std::chrono::steady_clock;
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

http::Result<VoiceTurn> RunVoiceTurn(const Deps& services, const std::string& user_id, std::string_view audio,
                                     const std::string& conversation_id) {
  if (audio.size() > kMaxVoiceAudio) return TooLarge();
  // Both engines are needed: say which one is missing before doing any work.
  if (!services.speech.stt_configured()) {
    return Unavailable("STT service unavailable: no speech-to-text engine is configured");
  }
  if (!services.speech.tts_configured()) {
    return Unavailable("TTS service unavailable: no text-to-speech engine is configured");
  }
  VoiceTurn out;
  auto heard = services.speech.Transcribe(audio, {});
  if (!heard) {
    if (heard.error().reason() == core::Reason::kAudioTooLarge) return TooLarge();
    return ToApiError(heard.error());
  }
  out.stt_ms = static_cast<std::int64_t>(heard->stt_ms + heard->decode_ms);
  out.transcript = heard->transcript.text;
  if (out.transcript.find_first_not_of(" \t\r\n") == std::string::npos) {
    return FieldError("audio", "No speech was recognised in the audio");
  }
  ChatRequest request;
  request.message = out.transcript;
  request.conversation_id = conversation_id;
  request.voice_input = true;
  auto options = TurnFor(services, user_id, request);
  if (!options) return std::move(options).error();
  const auto llm_started = Clock::now();
  auto turn = services.chat.Send(*options);
  if (!turn) return ChatError(turn.error());
  out.llm_ms = Ms(Clock::now() - llm_started);
  out.turn = std::move(*turn);
  core::speech::SpeakOptions speak;
  speak.sample_rate = kReplyRate;
  auto spoken = services.speech.Speak(out.turn.assistant_message.content, speak);
  if (!spoken) return ToApiError(spoken.error());
  out.tts_ms = static_cast<std::int64_t>(spoken->tts_ms);
  out.wav = std::move(spoken->wav);
  return out;
}

}  // namespace atrium::dialects::secondbrain
