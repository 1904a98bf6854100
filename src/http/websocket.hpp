#pragma once
// WebSocket endpoints, without Beast: a dialect registers a route whose `accept` looks
// at the upgrade request (auth, path parameters) and returns a handler for the new
// connection, or an error answered as a normal HTTP response.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/request.hpp"
#include "http/result.hpp"

namespace atrium::http {

// Close codes used by the transport (RFC 6455).
inline constexpr int kCloseNormal = 1000;
inline constexpr int kCloseGoingAway = 1001;
inline constexpr int kClosePolicy = 1008;
inline constexpr int kCloseTooBig = 1009;
inline constexpr int kCloseTryAgainLater = 1013;
// Application-defined (4000-4999): the connection's session was revoked or its access
// token expired; the reason says which ("session_revoked", "token_expired").
inline constexpr int kCloseUnauthorized = 4001;

// One open connection, implemented by the transport. Thread-safe.
class WebSocketConnection {
 public:
  virtual ~WebSocketConnection() = default;
  // Queue a message. False when the connection is closed, or when its send queue is over
  // its bound: then the connection is closed (1008) rather than buffered without limit.
  virtual bool SendText(std::string text) = 0;
  virtual bool SendBinary(std::string bytes) = 0;
  // Closes after the queued messages are sent.
  virtual void Close(int code, std::string reason) = 0;
  // Closes like Close once `delay` has passed, unless it closed before (e.g. at the
  // access token's expiry). One deadline per connection: a later call replaces it.
  virtual void CloseAfter(std::chrono::milliseconds delay, int code, std::string reason) = 0;
  virtual bool closed() const = 0;
};

// A dialect's side of one connection. Callbacks run on the connection's I/O thread, one
// at a time, and must not block (hand blocking work to the worker pool).
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  virtual void OnOpen(std::shared_ptr<WebSocketConnection> connection) = 0;
  virtual void OnText(std::string_view text) = 0;
  virtual void OnBinary(std::string_view bytes) { (void)bytes; }
  // The connection is gone; `code` is the peer's close code, or 1006 when it vanished.
  virtual void OnClose(int code) { (void)code; }
};

struct WebSocketOptions {
  std::size_t max_message_bytes = 1 << 20;  // larger messages close the connection with 1009
  std::size_t max_queued_messages = 256;    // per connection, outgoing
  std::chrono::milliseconds ping_interval{25000};
  std::chrono::milliseconds idle_timeout{60000};  // no frame (not even a pong) for this long: closed
};

using WebSocketAccept = std::function<Result<std::unique_ptr<WebSocketHandler>>(Request&)>;

struct WebSocketRoute {
  WebSocketAccept accept;
  WebSocketOptions options;
};

}  // namespace atrium::http
