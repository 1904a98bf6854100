// POST /v1/chat and POST /v1/chat/stream (pisovereign-api.md, "Chat"), behind an API
// key: one turn of the core chat flow, stored on the key owner's conversation.

#include <boost/json.hpp>

#include "dialects/pisovereign/chat_routes.hpp"

#include "core/chat/chat_service.hpp"
#include "dialects/common/fields.hpp"
#include "dialects/common/turn_stream.hpp"
#include "dialects/pisovereign/pisovereign.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::pisovereign {

namespace {

namespace json = boost::json;

struct ChatFields {
  std::string message;
  std::string conversation_id;
  std::optional<std::string> system_prompt;
  std::string model;
  core::llm::SamplingOptions sampling;
};

// Every field's problem at once, as {"fields": [{"field", "error"}]} (422).
http::Result<ChatFields> Parse(const json::object& body) {
  ChatFields f;
  json::array problems;
  auto problem = [&](std::string_view field, std::string_view error) {
    problems.push_back(json::object{{"field", field}, {"error", error}});
  };
  const auto* message = body.if_contains("message");
  if (message == nullptr || message->is_null()) {
    problem("message", "is required");
  } else if (!message->is_string()) {
    problem("message", "must be a string");
  } else if (message->as_string().find_first_not_of(" \t\r\n") == json::string::npos) {
    problem("message", "cannot be empty");
  } else {
    f.message = std::string(message->as_string());
  }
  auto text = [&](std::string_view name, auto&& set) {
    auto field = StringField(body, name);
    if (field.absent()) return;
    if (field.wrong_type()) return problem(name, "must be a string");
    set(std::move(field.value));
  };
  text("conversation_id", [&](std::string s) {
    if (s.empty()) return problem("conversation_id", "cannot be empty");
    f.conversation_id = std::move(s);
  });
  text("system_prompt", [&](std::string s) { f.system_prompt = std::move(s); });
  text("model", [&](std::string s) { f.model = std::move(s); });
  if (const auto* t = body.if_contains("temperature"); t != nullptr && !t->is_null()) {
    if (!t->is_number()) {
      problem("temperature", "must be a number");
    } else if (const double d = t->to_number<double>(); d < 0.0 || d > 2.0) {
      problem("temperature", "must be between 0.0 and 2.0");
    } else {
      f.sampling.temperature = d;
    }
  }
  if (const auto* m = body.if_contains("max_tokens"); m != nullptr && !m->is_null()) {
    if (!m->is_int64() && !m->is_uint64()) {
      problem("max_tokens", "must be an integer");
    } else if (m->is_int64() && m->as_int64() < 1) {
      problem("max_tokens", "must be at least 1");
    } else {
      f.sampling.max_tokens = m->is_int64() ? m->as_int64() : INT64_MAX;
    }
  }
  if (!problems.empty()) {
    auto e = http::MakeError(http::ErrorKind::kValidation, "Request validation failed");
    e.details["fields"] = std::move(problems);
    return e;
  }
  return f;
}

core::chat::TurnOptions Turn(const core::identity::Principal& who, ChatFields f) {
  core::chat::TurnOptions o;
  o.user_id = who.user_id;
  o.conversation_id = std::move(f.conversation_id);
  o.content = std::move(f.message);
  o.system_prompt = std::move(f.system_prompt);
  o.model = std::move(f.model);
  o.sampling = std::move(f.sampling);
  return o;
}

}  // namespace

http::ApiError ChatError(const core::Error& error) {
  using R = core::Reason;
  switch (error.reason()) {
    case R::kTokenLimitExceeded: {
      auto e = http::MakeError(http::ErrorKind::kRateLimited, "Token limit reached");
      e.details["retry_after"] = 60;
      return e;
    }
    case R::kLlmBusy:
    case R::kLlmRateLimited: {
      auto e = http::MakeError(http::ErrorKind::kUnavailable, error.safe_message());
      e.headers.Set("Retry-After", "1");
      return e;
    }
    case R::kLlmNotConfigured:
    case R::kLlmUnavailable:
    case R::kLlmRejected:
    case R::kLlmStreamInterrupted:
    case R::kLlmBadResponse:
    case R::kLlmEmptyAnswer:
      return http::MakeError(http::ErrorKind::kUnavailable, error.safe_message());
    case R::kModelNotFound: {
      auto e = http::MakeError(http::ErrorKind::kValidation, "Request validation failed");
      e.details["fields"] = json::array{json::object{{"field", "model"}, {"error", "unknown model"}}};
      return e;
    }
    case R::kNone:
    case R::kMissingCredentials:
    case R::kInvalidCredentials:
    case R::kMissingToken:
    case R::kInvalidToken:
    case R::kTokenExpired:
    case R::kTokenReused:
    case R::kSessionRevoked:
    case R::kSessionNotFound:
    case R::kInvalidApiKey:
    case R::kAccountBanned:
    case R::kAccountInactive:
    case R::kAccountLocked:
    case R::kDeviceNotFound:
    case R::kUserNotFound:
    case R::kEmailExists:
    case R::kUsernameExists:
    case R::kInvalidEmail:
    case R::kWeakPassword:
    case R::kCannotBanAdmin:
    case R::kCannotBanSelf:
    case R::kInvalidMessage:
    case R::kInvalidPrompt:
    case R::kConversationNotFound:
    case R::kMessageNotFound:
    case R::kAbandoned:
    case R::kConfigNotFound:
    case R::kTemplateNotFound:
    case R::kImageNotFound:
    case R::kArenaConfigCount:
    case R::kInvalidDays:
    case R::kNotConfigured:
    case R::kInvalidAudio:
    case R::kAudioTooLarge:
    case R::kAudioTooLong:
    case R::kSpeechNotConfigured:
    case R::kSpeechUnavailable:
    case R::kSpeechBusy:
    case R::kSpeechTimeout:
    case R::kInvalidVoice:
    case R::kTextTooLong:
    case R::kMemoryNotFound:
    case R::kDocumentNotFound:
    case R::kUnsupportedDocument:
    case R::kInvalidDocument:
    case R::kDocumentTooLarge:
    case R::kExportNotFound:
    case R::kEmbeddingsNotConfigured:
    case R::kRendererUnavailable:
    case R::kInvalidDiagramSource:
    case R::kInvalidFormula:
    case R::kInvalidMapRequest:
    case R::kRenderTimeout:
    case R::kRenderTooLarge:
    case R::kRenderBusy:
    case R::kCancelled:
    case R::kUpstreamIo:
      break;
  }
  if (error.code() == core::ErrorCode::kInvalidArgument) {
    return http::MakeError(http::ErrorKind::kBadRequest, error.safe_message());
  }
  return http::FromCoreError(error);
}

namespace {

json::object Tokens(const core::chat::GenerationMetadata& g) {
  return {{"prompt", g.prompt_tokens}, {"completion", g.completion_tokens}, {"total", g.total_tokens}};
}

}  // namespace

void AddChatRoutes(http::Site& site, const Deps& services) {
  site.Add(http::Method::kPost, "/v1/chat",
           Protected(services,
                     [&services](http::Request& req, const core::identity::Principal& who) -> http::Reply {
                       auto parsed = http::ParseJsonObject(req);
                       if (!parsed) return std::move(parsed).error();
                       auto fields = Parse(*parsed);
                       if (!fields) return std::move(fields).error();
                       auto turn = services.chat.Send(Turn(who, std::move(*fields)));
                       if (!turn) return ChatError(turn.error());
                       const auto& m = turn->assistant_message;
                       return http::JsonReply(200, {{"id", m.id},
                                                    {"conversation_id", turn->conversation.id},
                                                    {"role", "assistant"},
                                                    {"content", m.content},
                                                    {"model", m.generation->model},
                                                    {"tokens", Tokens(*m.generation)},
                                                    {"created_at", m.created_at}});
                     }),
           {.body_limit = 1 << 20,
            .doc = {.summary = "Send chat message",
                    .tag = "Chat",
                    .request_schema = "ChatRequest",
                    .response_schema = "ChatResponse",
                    .secured = true}});

  site.Add(
      http::Method::kPost, "/v1/chat/stream",
      Protected(services,
                [&services](http::Request& req, const core::identity::Principal& who) -> http::Reply {
                  auto parsed = http::ParseJsonObject(req);
                  if (!parsed) return std::move(parsed).error();
                  auto fields = Parse(*parsed);
                  if (!fields) return std::move(fields).error();
                  auto options = Turn(who, std::move(*fields));
                  auto framer = [](const core::chat::ChatEvent& e) -> std::vector<std::string> {
                    using T = core::chat::ChatEventType;
                    switch (e.type) {
                      case T::kStarted:
                        return {};
                      case T::kDelta:
                        return {http::SseFrame("message", json::serialize(json::object{{"delta", e.delta}}))};
                      case T::kDone: {
                        const auto& m = e.result->assistant_message;
                        return {http::SseFrame(
                            "done", json::serialize(json::object{{"tokens", Tokens(*m.generation)},
                                                                 {"conversation_id", e.result->conversation.id},
                                                                 {"message_id", m.id}}))};
                      }
                      case T::kError: {
                        const auto api = ChatError(*e.error);
                        return {http::SseFrame("error", json::serialize(json::object{{"code", "SERVICE_UNAVAILABLE"},
                                                                                     {"message", api.message}}))};
                      }
                    }
                    return {};
                  };
                  TurnStreamOptions stream_options;
                  EndWithSession(stream_options, services, who);  // at a revocation, and at the token's exp
                  return StreamTurn(
                      [&](core::chat::ChatSink sink) { return services.chat.Stream(options, std::move(sink)); }, framer,
                      ChatError, std::move(stream_options));
                }),
      {.body_limit = 1 << 20,
       .doc = {.summary = "Streaming chat (Server-Sent Events: message {delta}, done {tokens}, error)",
               .tag = "Chat",
               .request_schema = "ChatRequest",
               .response_type = "text/event-stream",
               .secured = true}});
}

}  // namespace atrium::dialects::pisovereign
