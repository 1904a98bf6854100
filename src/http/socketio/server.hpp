#pragma once
// The Socket.IO v5 server a dialect uses, without Beast: it registers namespaces (an
// authenticate callback for CONNECT, event handlers, a disconnect hook), emits to one
// socket or to a room, with acknowledgements, and may relay event-bus topics to rooms
// named after them, so that a dialect only names its events and payloads.
//
// The server is an Engine.IO handler factory (socketio/engine.hpp): the site serves it
// with Site::AddEngineIo at "/socket.io/". It is thread-safe.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/events/event_bus.hpp"
#include "core/identity/user.hpp"
#include "core/random.hpp"
#include "http/headers.hpp"
#include "http/socketio/engine.hpp"

namespace atrium::http::socketio {

// Event arguments as JSON, with the binary attachments beside them; placeholders
// ({"_placeholder":true,"num":n}) inside `args` refer to `attachments[n]`.
struct Message {
  boost::json::array args;
  std::vector<std::string> attachments;
};

// What a namespace's authenticate callback sees at CONNECT.
struct Handshake {
  std::string nsp;
  boost::json::object auth;  // the CONNECT payload; {} when the client sent none
  std::string query;         // of the Engine.IO handshake request
  // Of the Engine.IO handshake request, only Authorization, Cookie, Origin, User-Agent
  // and X-Forwarded-For (the rest is not kept for the socket's life).
  Headers headers;
  std::string client_address;
};

// A successful CONNECT: whatever the dialect wants to keep on the socket.
struct Identity {
  std::string user_id;  // empty for anonymous namespaces
  boost::json::object data;
  // The session the socket was authenticated with. When set, the socket leaves its
  // namespace (a DISCONNECT packet: "io server disconnect" at the client) within
  // moments of that session's revocation (core::identity::SessionWatch on the server's
  // bus), and `expires_in` after CONNECT when that is set (the token's expiry).
  std::optional<core::identity::Principal> session;
  std::optional<std::chrono::milliseconds> expires_in;
  // Asked once right after the socket subscribed to its session's revocations (on the
  // CONNECT's worker thread; it may block on storage): false ends the session at once.
  // It closes the gap between the token check at CONNECT and that subscription.
  std::function<bool()> still_valid;
};
// A refused CONNECT, answered with CONNECT_ERROR {"message": ..., "data": ...}.
struct Refusal {
  std::string message;
  std::optional<boost::json::value> data;
};
using AuthResult = std::variant<Identity, Refusal>;

// Answers the client's acknowledgement request; empty when the client asked none.
// Calling it more than once sends only the first answer.
using Ack = std::function<void(Message reply)>;
// The client's answer to an EmitWithAck, or nullopt when the socket went away first.
using AckCallback = std::function<void(std::optional<Message> reply)>;

// One client connected to one namespace. Thread-safe.
class Socket {
 public:
  virtual ~Socket() = default;
  virtual const std::string& id() const = 0;
  virtual const std::string& nsp() const = 0;
  virtual const Identity& identity() const = 0;
  virtual const Handshake& handshake() const = 0;
  // False when the socket is gone or its session's queue is full (it is then closed).
  virtual bool Emit(std::string_view event, Message message) = 0;
  // Bounded: false (and no call of `on_reply`) when too many acks are outstanding.
  virtual bool EmitWithAck(std::string_view event, Message message, AckCallback on_reply) = 0;
  virtual void Join(const std::string& room) = 0;
  virtual void Leave(const std::string& room) = 0;
  virtual std::vector<std::string> rooms() const = 0;
  // Emits to every socket of this socket's namespace in `room` (joined or not by this
  // one); returns how many were sent to.
  virtual std::size_t EmitToRoom(const std::string& room, std::string_view event, const Message& message) = 0;
  // Emits to every socket of this namespace in `room` but this one (socket.io's
  // `socket.to(room).emit`); returns how many were sent to.
  virtual std::size_t BroadcastToRoom(const std::string& room, std::string_view event, const Message& message) = 0;
  // Emits to every socket of this socket's namespace, this one included; returns how
  // many were sent to.
  virtual std::size_t EmitToNamespace(std::string_view event, const Message& message) = 0;
  // Leaves the namespace (DISCONNECT to the client); the session stays open.
  virtual void Disconnect() = 0;
  virtual bool connected() const = 0;
  // True from the moment the socket's session is known to be revoked or its token
  // expired (see Identity::session), before the DISCONNECT is sent: from then on its
  // events are not dispatched, and work it started must stop (on_session_end).
  virtual bool session_ended() const = 0;
  // Runs `task` on the worker pool. False when the pool is busy.
  [[nodiscard]] virtual bool RunBlocking(std::function<void()> task) = 0;
  // Runs `callback` on an I/O thread after `delay`, unless the connection closed first.
  virtual void After(std::chrono::milliseconds delay, std::function<void()> callback) = 0;
  // A reference that keeps this socket object valid (e.g. for a task that answers it
  // later); a gone socket's Emit just returns false.
  virtual std::shared_ptr<Socket> Self() = 0;
};

using EventHandler = std::function<void(Socket& socket, Message message, Ack ack)>;

// A bus event as one Socket.IO event: name and arguments, or nullopt to skip it.
struct RelayedEvent {
  std::string event;
  Message message;
};
using RelayMap = std::function<std::optional<RelayedEvent>(const core::events::Event& event)>;

struct NamespaceHandlers {
  // Runs on a worker thread (it may check tokens against storage). Empty: everyone is
  // accepted with an empty identity.
  std::function<AuthResult(const Handshake&)> authenticate;
  // After the CONNECT answer was queued; on an I/O or worker thread.
  std::function<void(Socket&)> on_connect;
  // By event name. `fallback` takes events no entry names (empty: they are ignored).
  std::map<std::string, EventHandler, std::less<>> events;
  EventHandler fallback;
  // The socket left ("client namespace disconnect", "server namespace disconnect",
  // "transport close", "ping timeout", ...).
  std::function<void(Socket&, std::string_view reason)> on_disconnect;
  // Once, on an I/O thread, when the socket's session was revoked or its token expired,
  // just before it is disconnected (and before on_disconnect): to cancel what the socket
  // started that must not outlive its session (chat turns). Work registered after it ran
  // must check session_ended() itself.
  std::function<void(Socket&)> on_session_end;
  // When set, joining a room subscribes the namespace to the bus topic of the same
  // name (once per room) and relays its events, mapped by `relay`, to the room.
  RelayMap relay;
};

struct ServerOptions {
  engineio::Options engine;
  std::chrono::milliseconds connect_timeout{45000};  // no namespace joined by then: closed
  std::size_t max_attachments = 10;
  std::size_t max_pending_acks = 64;  // per socket, server-to-client
  std::size_t relay_queue = 256;      // per relayed topic
};

class Server {
 public:
  // `events` is used by namespaces with a relay and by sockets with a session. Both must
  // outlive the server.
  Server(ServerOptions options, core::Random& random, core::events::EventBus& events);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Before serving. Names start with '/'; "/" is the main namespace.
  void AddNamespace(std::string name, NamespaceHandlers handlers);

  // The Engine.IO route that serves this server.
  engineio::Route MakeRoute();

  // Emits to every socket of `nsp` in `room`; returns how many were sent to.
  std::size_t EmitToRoom(std::string_view nsp, const std::string& room, std::string_view event, const Message& message);
  // Emits to every socket of `nsp`.
  std::size_t EmitToAll(std::string_view nsp, std::string_view event, const Message& message);
  // Connected sockets in `nsp`, for metrics and tests.
  std::size_t socket_count(std::string_view nsp) const;

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace atrium::http::socketio
