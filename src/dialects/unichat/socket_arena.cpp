// arena_send_message and arena_stop_generation (uni-chat-api.md, "Arena Events"),
// streamed through the core's ArenaChat, every configuration at once:
//   arena_session_created {session}                  when no session_id was given
//   arena_user_message {message, session_id}
//   arena_message_start {config_id, message_id, session_id, model_id}     per config
//   arena_message_chunk {config_id, content, message_id, session_id}...
//   arena_message_complete {config_id, content, metadata, message, message_id, session_id}
//   or arena_message_error {config_id, error, message_id, session_id}
//   arena_generation_stopped {session_id}   after a stop, once every config has ended

#include <atomic>
#include <boost/json.hpp>

#include "core/arena/arena_chat.hpp"
#include "core/chat/running_turns.hpp"
#include "dialects/common/reason_code.hpp"
#include "dialects/unichat/arena_json.hpp"
#include "dialects/unichat/socket_events.hpp"
#include "dialects/unichat/socket_payload.hpp"
#include "dialects/unichat/unichat_context.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
namespace sio = http::socketio;
using core::arena::ArenaEvent;
using core::arena::ArenaEventType;
using core::arena::ArenaTurn;

void Refuse(sio::Socket& socket, const sio::Ack& ack, const std::string& session_id, const http::ApiError& e) {
  if (ack) ack(One({{"success", false}, {"error", e.message}, {"status", e.status}}));
  socket.Emit("arena_message_error",
              One({{"error", e.message},
                   {"status", e.status},
                   {"config_id", nullptr},
                   {"message_id", nullptr},
                   {"session_id", session_id.empty() ? json::value(nullptr) : json::value(session_id)}}));
}

// What the socket layer keeps of one running arena turn.
struct Live {
  // Set once Stream returns. Weak: the turn holds its sink, which holds this.
  std::weak_ptr<ArenaTurn> turn;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> ended{false};  // the last config's event is out
};

// An arena turn's id in the running-turn registry: its session's.
std::string TurnId(const std::string& session_id) { return "arena:" + session_id; }

core::arena::ArenaSink MakeSink(UserEmitter emit, std::shared_ptr<Live> state, core::chat::RunningTurns& turns) {
  return [emit = std::move(emit), state = std::move(state), &turns = turns](const ArenaEvent& e) {
    const auto& session = *e.session;
    switch (e.type) {
      case ArenaEventType::kSessionCreated:
        emit("arena_session_created", {{"session", ArenaSessionJson(session)}});
        return;
      case ArenaEventType::kUserMessage:
        emit("arena_user_message", {{"message", ArenaMessageJson(*e.message)}, {"session_id", session.id}});
        return;
      case ArenaEventType::kStarted:
        emit("arena_message_start", {{"config_id", e.config_id},
                                     {"message_id", e.message_id},
                                     {"session_id", session.id},
                                     {"model_id", e.model}});
        return;
      case ArenaEventType::kDelta:
        emit("arena_message_chunk", {{"config_id", e.config_id},
                                     {"content", e.delta},
                                     {"message_id", e.message_id},
                                     {"session_id", session.id}});
        return;
      case ArenaEventType::kDone: {
        json::object message = ArenaMessageJson(*e.message);
        json::value metadata = message["metadata"];
        emit("arena_message_complete", {{"config_id", e.config_id},
                                        {"content", e.message->content},
                                        {"metadata", std::move(metadata)},
                                        {"message", std::move(message)},
                                        {"message_id", e.message_id},
                                        {"session_id", session.id}});
        break;
      }
      case ArenaEventType::kError: {
        const http::ApiError error = ToApiError(*e.error);
        emit("arena_message_error", {{"config_id", e.config_id},
                                     {"error", error.message},
                                     {"status", error.status},
                                     {"code", SnakeCaseReason(e.error->reason())},
                                     {"message_id", e.message_id},
                                     {"session_id", session.id}});
        break;
      }
    }
    if (e.last) {
      state->ended = true;
      turns.End(TurnId(session.id));
      if (state->stop_requested) emit("arena_generation_stopped", {{"session_id", session.id}});
    }
  };
}

}  // namespace

void AddArenaEvents(sio::NamespaceHandlers& ns, const Deps& services) {
  // A socket closed for its session's revocation or expiry stops the arena turns it
  // started, as arena_stop_generation does.
  ns.on_session_end = [&turns = services.turns, then = std::move(ns.on_session_end)](sio::Socket& socket) {
    if (then) then(socket);
    turns.StopStartedBy(socket.id(), socket.identity().user_id);  // this instance's turns: never fails
  };

  ns.events["arena_send_message"] = [&services](sio::Socket& socket, sio::Message message, sio::Ack ack) {
    const auto* body = Payload(message);
    if (body == nullptr) {
      Refuse(socket, ack, "", http::MakeError(http::ErrorKind::kValidation, "arena_send_message takes an object"));
      return;
    }
    core::arena::ArenaTurnOptions options;
    options.user_id = socket.identity().user_id;
    options.session_id = Text(body, "session_id");
    options.title = Text(body, "title");
    options.content = Text(body, "message");
    if (const auto* ids = body->if_contains("config_ids"); ids != nullptr && ids->is_array()) {
      for (const auto& id : ids->as_array()) {
        if (id.is_string()) options.config_ids.emplace_back(id.as_string());
      }
    }
    auto self = socket.Self();
    auto task = [&services, self, ack, options = std::move(options)] {
      if (self->session_ended()) {  // revoked or expired while this waited for a worker
        Refuse(*self, ack, options.session_id, http::MakeError(http::ErrorKind::kUnauthorized, "Session has ended"));
        return;
      }
      auto state = std::make_shared<Live>();
      auto turn = services.arena_chat.Stream(options, MakeSink(UserEmitter(self, services.events, kRemotePrefix), state, services.turns));
      if (!turn) {
        Refuse(*self, ack, options.session_id, ToApiError(turn.error()));
        return;
      }
      state->turn = *turn;
      const std::string session_id = (*turn)->session().id;
      // A turn the registry cannot take runs on, but cannot be stopped by id (closed).
      (void)services.turns.Track(TurnId(session_id), options.user_id, self->id(), [state] {
        if (auto running = state->turn.lock()) {
          state->stop_requested = true;
          running->Cancel();
        }
      });
      // Tracked first, checked second: a turn that ended before it was tracked is
      // forgotten here, and a session that ended meanwhile is seen here (or its
      // on_session_end finds this turn).
      if (state->ended || (*turn)->finished()) services.turns.End(TurnId(session_id));
      if (self->session_ended()) (*turn)->Cancel();
      if (ack) ack(One({{"success", true}, {"session_id", session_id}}));
    };
    if (!socket.RunBlocking(std::move(task))) {
      Refuse(socket, ack, Text(body, "session_id"),
             http::MakeError(http::ErrorKind::kUnavailable, "Server is busy, retry later"));
    }
  };

  ns.events["arena_stop_generation"] = [&turns = services.turns](sio::Socket& socket, sio::Message message,
                                                                 sio::Ack ack) {
    const std::string session_id = Text(Payload(message), "session_id");
    // Off the I/O thread: a turn running elsewhere is found in a shared registry.
    auto task = [&turns, self = socket.Self(), session_id, ack] {
      // Through the bus, to whichever instance runs the turn; a registry or bus that
      // cannot answer stops nothing (closed, TurnRegistry::kOnFailure).
      const auto stopped = turns.Stop(TurnId(session_id), self->identity().user_id);
      if (!stopped || !*stopped) {
        if (ack) ack(One({{"success", false}, {"error", "No arena generation in progress for this session"}}));
        self->Emit("error", One({{"message", "No arena generation in progress for this session"},
                                 {"session_id", session_id}}));
        return;
      }
      // Each config stores what it had; arena_generation_stopped follows the last one.
      if (ack) ack(One({{"success", true}, {"session_id", session_id}}));
    };
    if (!socket.RunBlocking(std::move(task))) {
      if (ack) ack(One({{"success", false}, {"error", "Server is busy, retry later"}}));
    }
  };
}

}  // namespace atrium::dialects::unichat
