// send_message, stop_generation and regenerate_message (uni-chat-api.md, "Chat
// Events"), streamed through the core's ChatService:
//   conversation_created {conversation}         a new conversation
//   message_saved {message, conversation_id}    the user's message
//   message_start {message_id, conversation_id, user_message_id, model_id}
//   message_chunk {content, message_id, conversation_id}...
//   message_complete {content, metadata, message, message_id, conversation_id}
//   or message_error {error, code, message_id, conversation_id}
//   generation_stopped {message_id, conversation_id}   after a stopped answer's message_complete
// title_updated comes from the bus (the core titles new conversations in the background).
//
// The core commits a turn in one transaction when its answer ends: conversation_created
// and message_saved announce what that commit will store, with its final ids; when the
// generation fails, message_error follows and neither is stored.

#include <atomic>
#include <boost/json.hpp>

#include "core/chat/chat_service.hpp"
#include "core/chat/conversation_store.hpp"
#include "core/chat/running_turns.hpp"
#include "core/events/event_bus.hpp"
#include "dialects/common/reason_code.hpp"
#include "dialects/unichat/chat_json.hpp"
#include "dialects/unichat/chat_request.hpp"
#include "dialects/unichat/socket_events.hpp"
#include "dialects/unichat/socket_payload.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
namespace sio = http::socketio;
using core::chat::ChatEvent;
using core::chat::ChatEventType;
using core::chat::ChatTurn;

http::ApiError SessionEnded() { return http::MakeError(http::ErrorKind::kUnauthorized, "Session has ended"); }

// A request that could not start: to the sending socket, and to its ack.
void Refuse(sio::Socket& socket, const sio::Ack& ack, const std::string& conversation_id, const http::ApiError& e) {
  json::object payload{
      {"error", e.message},
      {"status", e.status},
      {"message_id", nullptr},
      {"conversation_id", conversation_id.empty() ? json::value(nullptr) : json::value(conversation_id)}};
  if (ack) ack(One({{"success", false}, {"error", e.message}, {"status", e.status}}));
  socket.Emit("message_error", One(std::move(payload)));
}

// A chat turn's id in the running-turn registry: its assistant message's.
std::string TurnId(const std::string& message_id) { return "chat:" + message_id; }

// Relays one turn's events to every socket of its user. `ended` is set when the turn's
// last event is out (see Run).
core::chat::ChatSink MakeSink(UserEmitter emit, core::chat::RunningTurns& turns,
                              std::shared_ptr<std::atomic<bool>> ended) {
  return [emit = std::move(emit), &turns = turns, ended = std::move(ended)](const ChatEvent& e) {
    const auto& ids = *e.ids;
    switch (e.type) {
      case ChatEventType::kStarted:
        if (ids.new_conversation && e.conversation != nullptr) {
          emit("conversation_created", {{"conversation", ConversationJson(*e.conversation)}});
        }
        if (e.user_message != nullptr) {
          emit("message_saved", {{"message", MessageJson(*e.user_message)}, {"conversation_id", ids.conversation_id}});
        }
        emit("message_start", {{"message_id", ids.assistant_message_id},
                               {"conversation_id", ids.conversation_id},
                               {"user_message_id",
                                ids.user_message_id.empty() ? json::value(nullptr) : json::value(ids.user_message_id)},
                               {"model_id", e.model}});
        return;
      case ChatEventType::kDelta:
        emit(
            "message_chunk",
            {{"content", e.delta}, {"message_id", ids.assistant_message_id}, {"conversation_id", ids.conversation_id}});
        return;
      case ChatEventType::kDone: {
        *ended = true;
        turns.End(TurnId(ids.assistant_message_id));
        const auto& m = e.result->assistant_message;
        json::object metadata = m.generation ? MetadataJson(*m.generation, m.status) : json::object{};
        emit("message_complete", {{"content", m.content},
                                  {"metadata", std::move(metadata)},
                                  {"message", MessageJson(m)},
                                  {"message_id", m.id},
                                  {"conversation_id", ids.conversation_id}});
        if (m.status == core::chat::MessageStatus::kCancelled) {
          emit("generation_stopped", {{"message_id", m.id}, {"conversation_id", ids.conversation_id}});
        }
        return;
      }
      case ChatEventType::kError: {
        *ended = true;
        turns.End(TurnId(ids.assistant_message_id));
        const http::ApiError error = ChatError(*e.error);
        emit("message_error", {{"error", error.message},
                               {"status", error.status},
                               {"code", SnakeCaseReason(e.error->reason())},
                               {"message_id", ids.assistant_message_id},
                               {"conversation_id", ids.conversation_id}});
        return;
      }
    }
  };
}

// Starts a turn on a worker thread: `start` plans and starts it, or says why not.
using Starter = std::function<http::Result<std::shared_ptr<ChatTurn>>(core::chat::ChatSink)>;

void Run(sio::Socket& socket, sio::Ack ack, std::string conversation_id, core::chat::RunningTurns& turns,
         core::events::EventBus& bus, Starter start) {
  auto self = socket.Self();
  auto task = [self, ack, conversation_id, &turns = turns, &bus = bus, start = std::move(start)] {
    const std::string& user_id = self->identity().user_id;
    if (self->session_ended()) {  // revoked or expired while this waited for a worker
      Refuse(*self, ack, conversation_id, SessionEnded());
      return;
    }
    auto ended = std::make_shared<std::atomic<bool>>(false);
    auto started = start(MakeSink(UserEmitter(self, bus, kRemotePrefix), turns, ended));
    if (!started) {
      Refuse(*self, ack, conversation_id, started.error());
      return;
    }
    const auto& turn = *started;
    const std::string turn_id = TurnId(turn->ids().assistant_message_id);
    // A turn the registry cannot take runs on, but cannot be stopped by id (it fails
    // closed, TurnRegistry::kOnFailure).
    (void)turns.Track(turn_id, user_id, self->id(), [weak = std::weak_ptr<ChatTurn>(turn)] {
      if (auto running = weak.lock()) running->Cancel();
    });
    // Tracked first, checked second: a turn that ended before it was tracked is
    // forgotten here; a session that ended meanwhile is seen here, or its
    // on_session_end finds this turn (AddChatEvents).
    if (*ended) turns.End(turn_id);
    if (self->session_ended()) turn->Cancel();
    if (ack) {
      ack(One({{"success", true},
               {"conversation_id", turn->ids().conversation_id},
               {"message_id", turn->ids().assistant_message_id},
               {"user_message_id", turn->ids().user_message_id}}));
    }
  };
  if (!socket.RunBlocking(std::move(task))) {
    Refuse(socket, ack, conversation_id, http::MakeError(http::ErrorKind::kUnavailable, "Server is busy, retry later"));
  }
}

}  // namespace

void AddChatEvents(sio::NamespaceHandlers& ns, const Deps& services) {
  // A socket closed for its session's revocation or expiry stops the turns it started,
  // as stop_generation does (the upstream request is cancelled; the partial answer is
  // stored once). A socket that merely disconnects leaves them running.
  ns.on_session_end = [&turns = services.turns, then = std::move(ns.on_session_end)](sio::Socket& socket) {
    if (then) then(socket);
    turns.StopStartedBy(socket.id(), socket.identity().user_id);  // this instance's turns: never fails
  };

  ns.events["send_message"] = [&services](sio::Socket& socket, sio::Message message, sio::Ack ack) {
    const auto* body = Payload(message);
    if (body == nullptr) {
      Refuse(socket, ack, "", http::MakeError(http::ErrorKind::kValidation, "send_message takes an object"));
      return;
    }
    auto parsed = ParseSendRequest(*body);
    if (!parsed) {
      Refuse(socket, ack, Text(body, "conversation_id"), parsed.error());
      return;
    }
    auto request = *std::move(parsed);
    const std::string conversation_id = request.conversation_id;
    const std::string user_id = socket.identity().user_id;
    Run(socket, std::move(ack), conversation_id, services.turns, services.events,
        [&services, user_id,
         request = std::move(request)](core::chat::ChatSink sink) -> http::Result<std::shared_ptr<ChatTurn>> {
          auto options = TurnFor(services, user_id, request);
          if (!options) return std::move(options).error();
          auto turn = services.chat.Stream(*options, std::move(sink));
          if (!turn) return ChatError(turn.error());
          return *turn;
        });
  };

  ns.events["regenerate_message"] = [&services](sio::Socket& socket, sio::Message message, sio::Ack ack) {
    const std::string message_id = Text(Payload(message), "message_id");
    if (message_id.empty()) {
      Refuse(socket, ack, "", http::MakeError(http::ErrorKind::kValidation, "message_id is required"));
      return;
    }
    const std::string user_id = socket.identity().user_id;
    Run(socket, std::move(ack), "", services.turns, services.events,
        [&services, user_id, message_id](core::chat::ChatSink sink) -> http::Result<std::shared_ptr<ChatTurn>> {
          auto target = services.conversations.GetMessage(user_id, message_id);
          if (!target) return ToApiError(target.error());
          auto options = RegenerateFor(services, user_id, target->conversation_id);
          if (!options) return std::move(options).error();
          auto& regenerate = *options;
          regenerate.message_id = message_id;
          auto turn = services.chat.StreamRegenerate(regenerate, std::move(sink));
          if (!turn) return ChatError(turn.error());
          return *turn;
        });
  };

  ns.events["stop_generation"] = [&turns = services.turns](sio::Socket& socket, sio::Message message, sio::Ack ack) {
    const std::string message_id = Text(Payload(message), "message_id");
    // Off the I/O thread: a turn running elsewhere is found in a shared registry.
    auto task = [&turns, self = socket.Self(), message_id, ack] {
      // Through the bus, to whichever instance runs the turn. A registry or bus that
      // cannot answer stops nothing (closed, TurnRegistry::kOnFailure).
      const auto stopped = turns.Stop(TurnId(message_id), self->identity().user_id);
      if (!stopped || !*stopped) {
        // Already finished, never started, or not this user's: nothing to stop.
        if (ack) ack(One({{"success", false}, {"error", "No generation in progress for this message"}}));
        self->Emit("error",
                   One({{"message", "No generation in progress for this message"}, {"message_id", message_id}}));
        return;
      }
      // The partial answer is stored once; message_complete and generation_stopped follow.
      if (ack) ack(One({{"success", true}, {"message_id", message_id}}));
    };
    if (!socket.RunBlocking(std::move(task))) {
      if (ack) ack(One({{"success", false}, {"error", "Server is busy, retry later"}}));
    }
  };
}

}  // namespace atrium::dialects::unichat
