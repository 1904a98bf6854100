// Socket.IO on the socket port (second-brain-api.md, "WebSocket Events"): namespace
// "/", authenticated at CONNECT with `auth: {token}`. A refused CONNECT carries the
// spec's AUTH_ERROR code; a connected socket joins its user's room.
//
// Client events:
//   chat:message {text, conversationId?}  a streamed turn through the chat core (with
//       the user's memories as context, like POST /api/chat): chat:thinking, then
//       chat:response chunks {text, messageId, conversationId, done: false}, then the
//       final chat:response {text (the whole answer), ..., done: true, metadata}. Every
//       socket of the user sees the turn (whichever instance holds it). Failures:
//       `error` {code, message, details} with the spec's custom codes.
//   voice:stream {audio: <binary>, format?, conversationId?}  a voice turn, answered to
//       the sending socket as voice:response {audio: <binary WAV>, text, transcript,
//       messageId, conversationId}.
//   typing:start / typing:stop {conversationId}  relayed to the user's other sockets
//       with their userId.
// Server events from the core's bus: memory:updated {memoryId, type, content} ("type"
// is "auto-saved" for a memory the assistant extracted or updated from a chat turn,
// else created / updated; deleted for every deletion).

#include <atomic>
#include <boost/json.hpp>

#include "core/chat/chat_service.hpp"
#include "core/chat/running_turns.hpp"
#include "core/events/event_bus.hpp"
#include "dialects/common/rate_limit.hpp"
#include "dialects/common/socket_auth.hpp"
#include "dialects/common/user_emitter.hpp"
#include "dialects/secondbrain/chat_turn.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "dialects/secondbrain/voice_turn.hpp"
#include "core/codec/base64.hpp"
#include "http/socketio/socketio_packet.hpp"
#include "dialects/settings.hpp"
#include "http/json_body.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects::secondbrain {

namespace {

namespace json = boost::json;
namespace sio = http::socketio;
using core::chat::ChatEvent;
using core::chat::ChatEventType;

// The OpaqueJson prefix of this dialect's socket events copied to other instances.
constexpr std::string_view kRemotePrefix = "secondbrain.";

sio::Message One(json::object payload) { return {json::array{std::move(payload)}, {}}; }

// A memory the assistant saved or changed is "auto-saved" (with its content); a
// deletion is "deleted" whoever made it, so a client never shows an empty saved memory.
std::string_view ChangeName(const core::memory::MemoryChanged& e) {
  const bool by_assistant = e.origin == core::memory::MemoryOrigin::kAuto;
  switch (e.change) {
    case core::memory::MemoryChange::kCreated:
      return by_assistant ? "auto-saved" : "created";
    case core::memory::MemoryChange::kUpdated:
      return by_assistant ? "auto-saved" : "updated";
    case core::memory::MemoryChange::kDeleted:
      return "deleted";
  }
  return "updated";
}

// Bus events under the spec's names. Chat turns reach sockets through the emitter of
// the socket that started them (below), not through the bus, so they are not relayed
// twice; every payload type is listed, so a new one is a decision here.
struct Relayer {
  using Out = std::optional<sio::RelayedEvent>;

  Out operator()(const core::memory::MemoryChanged& e) const {
    return sio::RelayedEvent{"memory:updated",
                             One({{"memoryId", e.memory_id}, {"type", ChangeName(e)}, {"content", e.content}})};
  }
  Out operator()(const core::chat::MessageStarted&) const { return std::nullopt; }
  Out operator()(const core::chat::MessageDelta&) const { return std::nullopt; }
  Out operator()(const core::chat::MessageDone&) const { return std::nullopt; }
  Out operator()(const core::chat::MessageError&) const { return std::nullopt; }
  Out operator()(const core::chat::ConversationTitle&) const { return std::nullopt; }
  Out operator()(const core::chat::TurnCancelRequested&) const { return std::nullopt; }  // never relayed
  Out operator()(const core::identity::SessionsRevoked&) const { return std::nullopt; }  // never relayed
  Out operator()(const core::logs::ClientLogReceived&) const { return std::nullopt; }
  Out operator()(const core::jobs::JobUpdated&) const { return std::nullopt; }
  Out operator()(const core::events::OpaqueJson&) const { return std::nullopt; }  // see Relay
};

std::optional<sio::RelayedEvent> Relay(const core::events::Event& event) {
  if (event.As<core::events::OpaqueJson>() != nullptr) return RelayRemoteCopy(event, kRemotePrefix);
  return std::visit(Relayer{}, event.payload);
}

// The spec's `error` event for a failure.
json::object ErrorPayload(const http::ApiError& e, const std::string& conversation_id = "",
                          const std::string& message_id = "") {
  json::object details = e.details;
  if (e.kind == http::ErrorKind::kRateLimited) {
    const auto* retry = e.details.if_contains("retry_after");
    details = {{"retryAfter", (retry && retry->is_int64() ? retry->as_int64() : 1) * 1000}};
  } else if (ErrorTypeOf(e) == "LLM_ERROR") {
    details["retryAfter"] = 5000;
  }
  if (!conversation_id.empty()) details["conversationId"] = conversation_id;
  if (!message_id.empty()) details["messageId"] = message_id;
  return {{"code", ErrorTypeOf(e)}, {"message", e.message}, {"details", std::move(details)}};
}

std::string TurnId(const std::string& message_id) { return "chat:" + message_id; }

core::chat::ChatSink MakeSink(UserEmitter emit, core::chat::RunningTurns& turns,
                              std::shared_ptr<std::atomic<bool>> ended) {
  return [emit = std::move(emit), &turns, ended = std::move(ended)](const ChatEvent& e) {
    const auto& ids = *e.ids;
    switch (e.type) {
      case ChatEventType::kStarted:
        emit("chat:thinking", {{"status", "thinking"}, {"conversationId", ids.conversation_id}});
        return;
      case ChatEventType::kDelta:
        emit("chat:response", {{"text", e.delta},
                               {"messageId", ids.assistant_message_id},
                               {"conversationId", ids.conversation_id},
                               {"done", false}});
        return;
      case ChatEventType::kDone: {
        *ended = true;
        turns.End(TurnId(ids.assistant_message_id));
        const auto& answer = e.result->assistant_message;
        emit("chat:response", {{"text", answer.content},
                               {"messageId", answer.id},
                               {"conversationId", ids.conversation_id},
                               {"done", true},
                               {"metadata", AnswerMetadata(answer)}});
        return;
      }
      case ChatEventType::kError:
        *ended = true;
        turns.End(TurnId(ids.assistant_message_id));
        emit("error", ErrorPayload(ChatError(*e.error), ids.conversation_id, ids.assistant_message_id));
        return;
    }
  };
}

void ChatMessage(const Deps& services, core::ratelimit::RateRule rule, sio::Socket& socket,
                 sio::Message message) {
  const json::object* body =
      !message.args.empty() && message.args[0].is_object() ? &message.args[0].as_object() : nullptr;
  if (body == nullptr) {
    socket.Emit("error", One(ErrorPayload(FieldError("text", "chat:message takes an object {text, conversationId}"))));
    return;
  }
  auto request = ParseChatRequest(*body, "text");
  if (!request) {
    socket.Emit("error", One(ErrorPayload(request.error())));
    return;
  }
  auto task = [&services, rule = std::move(rule), self = socket.Self(), request = std::move(*request)] {
    const std::string& user_id = self->identity().user_id;
    auto refuse = [&](const http::ApiError& e) { self->Emit("error", One(ErrorPayload(e, request.conversation_id))); };
    if (self->session_ended()) return refuse(http::MakeError(http::ErrorKind::kUnauthorized, "Session has ended"));
    auto allowed = CheckRate(services, rule, "user:" + user_id, false, "Rate limit exceeded");
    if (!allowed) return refuse(allowed.error());
    auto options = TurnFor(services, user_id, request);
    if (!options) return refuse(options.error());
    auto ended = std::make_shared<std::atomic<bool>>(false);
    auto turn = services.chat.Stream(*options, MakeSink(UserEmitter(self, services.events, kRemotePrefix),
                                                        services.turns, ended));
    if (!turn) return refuse(ChatError(turn.error()));
    const std::string turn_id = TurnId((*turn)->ids().assistant_message_id);
    // Stopped with the socket's session (on_session_end); a registry that cannot take
    // it leaves the turn running to its end.
    (void)services.turns.Track(turn_id, user_id, self->id(), [weak = std::weak_ptr<core::chat::ChatTurn>(*turn)] {
      if (auto running = weak.lock()) running->Cancel();
    });
    if (*ended) services.turns.End(turn_id);
    if (self->session_ended()) (*turn)->Cancel();
  };
  if (!socket.RunBlocking(std::move(task))) {
    socket.Emit("error", One(ErrorPayload(http::MakeError(http::ErrorKind::kUnavailable, "Server is busy, retry later"))));
  }
}

// voice:stream {audio: <binary>, format?}: one voice turn (voice_turn.hpp); the answer
// to the sending socket as voice:response {audio: <binary WAV>, text, transcript,
// messageId, conversationId}. `audio` may also be base64 text (clients without binary).
void VoiceStream(const Deps& services, core::ratelimit::RateRule rule, sio::Socket& socket, sio::Message message) {
  const json::object* body =
      !message.args.empty() && message.args[0].is_object() ? &message.args[0].as_object() : nullptr;
  std::string audio;
  std::string conversation_id;
  if (body != nullptr) {
    if (const auto* a = body->if_contains("audio")) {
      if (auto n = sio::PlaceholderIndex(*a); n && *n < message.attachments.size()) {
        audio = std::move(message.attachments[*n]);
      } else if (a->is_string()) {
        audio = core::Base64Decode(a->as_string()).value_or("");
      }
    }
    if (const auto* id = body->if_contains("conversationId"); id && id->is_string()) {
      conversation_id = std::string(id->as_string());
    }
  }
  if (audio.empty()) {
    socket.Emit("error", One(ErrorPayload(FieldError("audio", "voice:stream takes {audio: <binary>, format}"))));
    return;
  }
  auto task = [&services, rule = std::move(rule), self = socket.Self(), audio = std::move(audio),
               conversation_id = std::move(conversation_id)] {
    const std::string& user_id = self->identity().user_id;
    auto refuse = [&](const http::ApiError& e) { self->Emit("error", One(ErrorPayload(e, conversation_id))); };
    if (self->session_ended()) return refuse(http::MakeError(http::ErrorKind::kUnauthorized, "Session has ended"));
    auto allowed = CheckRate(services, rule, "user:" + user_id, false, "Rate limit exceeded");
    if (!allowed) return refuse(allowed.error());
    auto voice = RunVoiceTurn(services, user_id, audio, conversation_id);
    if (!voice) return refuse(voice.error());
    const auto& answer = voice->turn.assistant_message;
    sio::Message reply{json::array{json::object{{"audio", sio::Placeholder(0)},
                                                {"text", answer.content},
                                                {"transcript", voice->transcript},
                                                {"messageId", answer.id},
                                                {"conversationId", voice->turn.conversation.id}}},
                       {std::move(voice->wav)}};
    self->Emit("voice:response", std::move(reply));
  };
  if (!socket.RunBlocking(std::move(task))) {
    socket.Emit("error", One(ErrorPayload(http::MakeError(http::ErrorKind::kUnavailable, "Server is busy, retry later"))));
  }
}

// typing:start / typing:stop to the user's other sockets on this instance and, through
// the bus, on the others.
sio::EventHandler Typing(const Deps& services, std::string event) {
  return [&services, event = std::move(event)](sio::Socket& socket, sio::Message message, const sio::Ack&) {
    std::string conversation_id;
    if (!message.args.empty() && message.args[0].is_object()) {
      if (const auto* id = message.args[0].as_object().if_contains("conversationId"); id && id->is_string()) {
        conversation_id = std::string(id->as_string());
      }
    }
    if (conversation_id.size() > 200) return;
    const std::string& user_id = socket.identity().user_id;
    json::object payload{{"conversationId", conversation_id}, {"userId", user_id}};
    const std::string room = core::events::topics::User(user_id);
    if (services.events.HasRemoteSubscribers(room)) {
      (void)services.events.Publish(
          {{room}, core::events::OpaqueJson{std::string(kRemotePrefix) + event, http::ToJsonText(payload)}});
    }
    socket.BroadcastToRoom(room, event, One(std::move(payload)));
  };
}

}  // namespace

std::shared_ptr<sio::Server> AddSocketRoutes(http::Site& site, const Deps& services) {
  auto server = std::make_shared<sio::Server>(services.settings.socketio, site.random(), services.events);
  sio::NamespaceHandlers main;
  main.authenticate = [&services](const sio::Handshake& handshake) -> sio::AuthResult {
    auto who = AuthenticateSocket(services, handshake);
    if (!who) return sio::Refusal{who.error().message, json::object{{"code", "AUTH_ERROR"}}};
    return SocketIdentity(services, *who);
  };
  main.on_connect = [](sio::Socket& socket) { socket.Join(core::events::topics::User(socket.identity().user_id)); };
  main.on_session_end = [&turns = services.turns](sio::Socket& socket) {
    turns.StopStartedBy(socket.id(), socket.identity().user_id);
  };
  main.events["chat:message"] = [&services, rule = RateRules{}.chat](sio::Socket& socket, sio::Message message,
                                                                       const sio::Ack&) {
    ChatMessage(services, rule, socket, std::move(message));
  };
  main.events["voice:stream"] = [&services, rule = RateRules{}.voice](sio::Socket& socket, sio::Message message,
                                                                        const sio::Ack&) {
    VoiceStream(services, rule, socket, std::move(message));
  };
  main.events["typing:start"] = Typing(services, "typing:start");
  main.events["typing:stop"] = Typing(services, "typing:stop");
  main.relay = Relay;
  server->AddNamespace("/", std::move(main));
  site.AddEngineIo("/socket.io/", server->MakeRoute());
  return server;
}

}  // namespace atrium::dialects::secondbrain
