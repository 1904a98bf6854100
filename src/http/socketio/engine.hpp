#pragma once
// Engine.IO endpoints, without Beast: the transport runs the Engine.IO v4 sessions
// (handshake, long-polling and WebSocket transports, the upgrade, heartbeats, maxPayload)
// and hands each session's messages to a handler made by the route's `accept`. The
// Socket.IO server (socketio/server.hpp) is one such handler; the echo test mode has a
// bare one.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.hpp"

namespace atrium::http::engineio {

// One open session, implemented by the transport. Thread-safe.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual const std::string& sid() const = 0;
  // Queue one message. False when the session is closed, or when its queue is over its
  // bound: then the session is closed rather than buffered without limit.
  virtual bool SendText(std::string text) = 0;
  virtual bool SendBinary(std::string bytes) = 0;
  // Several messages at once, in order, none interleaved with another sender's (a
  // Socket.IO binary packet and its attachments).
  virtual bool SendBatch(std::vector<std::pair<std::string, bool>> messages) = 0;  // (data, binary)
  // Like SendBatch, for messages shared by many connections (a broadcast): queued by
  // reference, not copied (this default copies them).
  using SharedMessages = std::shared_ptr<const std::vector<std::pair<std::string, bool>>>;
  virtual bool SendShared(const SharedMessages& messages) { return SendBatch(*messages); }
  // Closes the session after what is queued has been sent.
  virtual void Close() = 0;
  virtual bool closed() const = 0;
  // Runs `task` on the worker pool (for work that may block: token checks, storage).
  // False, without running it, when the pool is busy.
  [[nodiscard]] virtual bool RunBlocking(std::function<void()> task) = 0;
  // Runs `callback` on an I/O thread after `delay`, unless the session closed first.
  virtual void After(std::chrono::milliseconds delay, std::function<void()> callback) = 0;
};

// A handler's view of one session. Calls are serialised per session (never two at once)
// but may come from different I/O threads; they must not block.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual void OnOpen(std::shared_ptr<Connection> connection) = 0;
  virtual void OnText(std::string_view text) = 0;
  virtual void OnBinary(std::string_view bytes) = 0;
  // The session ended ("transport close", "ping timeout", "transport error",
  // "forced close", "server shutting down"). No call follows.
  virtual void OnClose(std::string_view reason) = 0;
};

struct Options {
  std::chrono::milliseconds ping_interval{25000};
  std::chrono::milliseconds ping_timeout{20000};
  std::size_t max_payload = 1000000;  // bytes per polling POST body and per WebSocket message
  std::chrono::milliseconds upgrade_timeout{10000};
  std::size_t max_queued_messages = 1024;  // per session, outgoing
  bool allow_upgrades = true;
};

// `accept` runs on an I/O thread for each new session and must not block; it may look
// at the handshake request (query, headers, address).
using Accept = std::function<std::unique_ptr<Handler>(const Request& handshake)>;

struct Route {
  Accept accept;
  Options options;
  // Session ids: unguessable, URL-safe.
  std::function<std::string()> make_id;
};

}  // namespace atrium::http::engineio
