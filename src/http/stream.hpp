#pragma once
// Response bodies produced over time (Server-Sent Events, streamed replies). The handler
// returns a Response whose `stream` is set; the transport sends the header, then calls
// `start` with a writer the producer may use from any thread.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/api_error.hpp"

namespace atrium::http {

class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  // Thread-safe. Queues `data` to be sent (and flushed) as one chunk. Returns false,
  // queueing nothing, when the client has gone or the stream is closed, and when the
  // queue is over its bound (a consumer that does not read is disconnected, not
  // buffered without limit): the producer should stop.
  virtual bool Write(std::string data) = 0;
  // Thread-safe. Ends the body after everything queued has been sent.
  virtual void Close() = 0;
  // True once the client went away or Close was called.
  virtual bool closed() const = 0;
  // `callback` runs once, on an I/O thread, when the client goes away before Close, or
  // the transport ended the stream (StreamBody::end_after), so an upstream generation
  // can be cancelled. Runs at once if that already happened.
  virtual void OnClientGone(std::function<void()> callback) = 0;
};

struct StreamBody {
  // Called once, on an I/O thread, after the header is sent. Must not block: start the
  // producer (a worker-pool task, an upstream request) and return.
  std::function<void(std::shared_ptr<StreamWriter>)> start;
  // When nothing was written for this long, `heartbeat` is sent (an SSE comment by
  // default), which also detects clients that vanished without closing.
  std::chrono::milliseconds heartbeat_interval{15000};
  std::string heartbeat = ": keep-alive\n\n";
  std::size_t max_queued_bytes = 1 << 20;
  // When set, the stream ends this long after `start` ran (an access token's expiry),
  // on the transport's timer: what was queued is sent, the body is terminated, and the
  // producer hears OnClientGone (unless it closed first), so it stops its work.
  std::optional<std::chrono::milliseconds> end_after;

  // Set when the answer's status is not known yet as the handler returns (a generation
  // whose upstream has not answered): the transport calls it once, on an I/O thread,
  // before sending anything, and waits - holding no worker thread - until the producer
  // calls `ready` (once, from any thread). With nullopt the header is sent and `start`
  // runs; with an error, that error (rendered by the site) is the whole answer.
  std::function<void(std::function<void(std::optional<ApiError>)> ready)> await_start;
  // How long the transport waits for `ready`. Then `await_expired` (on an I/O thread;
  // it must not block) gives the error to answer, and `ready` is ignored from then on.
  std::chrono::milliseconds await_timeout{std::chrono::minutes(5)};
  std::function<ApiError()> await_expired;
};

// One Server-Sent Events frame: optional `event:` line, `data:` lines (one per line of
// `data`), and the blank line that ends it.
std::string SseFrame(std::string_view event, std::string_view data);

}  // namespace atrium::http
