#pragma once
// One voice turn (POST /api/voice and the socket's voice:stream): the upload
// transcribed by the speech core, answered through the chat core like POST /api/chat
// (memories as context, the user's message marked voiceInput) and the answer spoken
// as 22,050 Hz mono 16-bit WAV, each stage timed. Blocking.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/chat/chat_service.hpp"
#include "dialects/secondbrain/deps.hpp"
#include "http/result.hpp"

namespace atrium::dialects::secondbrain {

inline constexpr std::size_t kMaxVoiceAudio = 10 * 1024 * 1024;

struct VoiceTurn {
  core::chat::TurnResult turn;
  std::string transcript;
  std::string wav;
  std::int64_t stt_ms = 0;  // decoding and recognition
  std::int64_t llm_ms = 0;
  std::int64_t tts_ms = 0;
};

// 413 over kMaxVoiceAudio; 503 naming the missing engine (checked first); 400
// FILE_ERROR for what is not audio; 400 naming `audio` when nothing was recognised.
http::Result<VoiceTurn> RunVoiceTurn(const Deps& services, const std::string& user_id, std::string_view audio,
                                     const std::string& conversation_id);

}  // namespace atrium::dialects::secondbrain
