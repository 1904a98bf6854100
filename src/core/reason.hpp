#pragma once
// Reason: why a call failed, finer than its ErrorCode, for dialects that answer some
// failures in their own way (a status, a code, a message, a field name). Dialects map a
// Reason with an exhaustive `switch` (no `default:`; the build makes -Wswitch an error),
// so a reason added here is a compile error in every dialect until it decides what the
// reason means to its clients.
//
// The enumerators are the contract; ReasonName is for logs, diagnostics and the core's
// own neutral event codec, never a client's wire (a dialect spells its codes itself).

#include <cstdint>
#include <optional>
#include <string_view>

namespace atrium::core {

enum class Reason : std::uint8_t {
  kNone,  // no finer reason than the ErrorCode

  // Identity: sign-in, tokens and sessions.
  kMissingCredentials,  // a login without email or password
  kInvalidCredentials,  // wrong email or password (also a wrong current password)
  kMissingToken,        // no bearer token where one is required (dialects' guards)
  kInvalidToken,        // a malformed, forged or unknown token
  kTokenExpired,        // an access or refresh token past its expiry
  kTokenReused,         // a spent refresh token came back; its session family is revoked
  kSessionRevoked,      // the token's session was ended (logout, password change, ban)
  kSessionNotFound,     // no such session of this user (also an arena session)
  kInvalidApiKey,       // an unknown or revoked API key
  kAccountBanned,       // the account is banned by an administrator
  kAccountInactive,     // the account is disabled or gone
  kAccountLocked,       // too many failed logins: locked for a while
  kDeviceNotFound,      // no such device of this user
  kUserNotFound,        // no such user

  // Registration and profile input.
  kEmailExists,     // the email is registered already
  kUsernameExists,  // the username is taken
  kInvalidEmail,    // not an email address
  kWeakPassword,    // the password fails the policy

  // Administration.
  kCannotBanAdmin,  // an admin tried to ban another admin
  kCannotBanSelf,   // an admin tried to ban themselves

  // Chat, conversations and their inputs.
  kInvalidMessage,        // an empty or malformed chat message
  kInvalidPrompt,         // an empty or malformed prompt to enhance
  kConversationNotFound,  // no such conversation of this user
  kMessageNotFound,       // no such message in this user's conversations
  kTokenLimitExceeded,    // the account's token budget is spent
  kAbandoned,             // the turn was abandoned before it finished (client gone)

  // Other stores' lookups and arguments.
  kConfigNotFound,    // no such assistant config
  kTemplateNotFound,  // no such prompt template
  kImageNotFound,     // no such generated image
  kArenaConfigCount,  // an arena needs a different number of configs
  kInvalidDays,       // an analytics window out of range
  kNotConfigured,     // an optional integration (WhatsApp, a command's backend) is off

  // The LLM upstream.
  kLlmNotConfigured,      // no upstream is configured
  kLlmUnavailable,        // the upstream cannot be reached or answered badly
  kLlmBusy,               // every upstream slot is taken
  kLlmRateLimited,        // the upstream said 429
  kLlmRejected,           // the upstream refused the request as invalid (4xx)
  kLlmStreamInterrupted,  // the upstream's stream broke off mid-answer
  kLlmBadResponse,        // the upstream's answer could not be understood
  kLlmEmptyAnswer,        // the upstream answered with nothing
  kModelNotFound,         // no such model (here or upstream)

  // Outbound HTTP (the fetcher transports implement).
  kCancelled,   // the request was cancelled
  kUpstreamIo,  // a network failure talking to an upstream

  // Audio and speech (the speech core).
  kInvalidAudio,         // not audio of a known format, truncated, or not what its header says
  kAudioTooLarge,        // the upload is larger than the limit
  kAudioTooLong,         // the decoded audio is longer than the limit
  kSpeechNotConfigured,  // no speech-to-text (or text-to-speech) engine is configured
  kSpeechUnavailable,    // the engine failed or its upstream cannot be reached
  kSpeechBusy,           // every speech slot is taken and the queue is full
  kSpeechTimeout,        // the job passed its deadline
  kInvalidVoice,         // no such voice
  kTextTooLong,          // the text to speak is longer than the limit

  // Memory, documents and exports (the knowledge core).
  kMemoryNotFound,           // no such memory of this user
  kDocumentNotFound,         // no such document of this user
  kUnsupportedDocument,      // not a PDF, DOCX, plain-text or Markdown file
  kInvalidDocument,          // a broken or unreadable document (or one with no text)
  kDocumentTooLarge,         // the upload is larger than the limit
  kExportNotFound,           // no such export, or its link expired or is not this user's
  kEmbeddingsNotConfigured,  // no embedding model is configured

  // Media rendering (the media core).
  kRendererUnavailable,   // a media renderer is not installed or broke
  kInvalidDiagramSource,  // the renderer refused the diagram's source
  kInvalidFormula,        // the renderer refused the formula
  kInvalidMapRequest,     // a map's values are out of range
  kRenderTimeout,         // a render passed its deadline
  kRenderTooLarge,        // the input or output passes the media limits
  kRenderBusy,            // every render slot is taken and the queue is full
};

// The last enumerator, for code that walks every reason (tests, the codec).
inline constexpr Reason kLastReason = Reason::kRenderBusy;

// snake_case, for logs, diagnostics and the neutral event codec: "token_reused".
std::string_view ReasonName(Reason reason);
// The inverse of ReasonName; nullopt for a name no reason has.
std::optional<Reason> ReasonFromName(std::string_view name);

}  // namespace atrium::core
