#pragma once
// Outgoing HTTP as the core sees it: one blocking request with a deadline, or one
// streamed request whose body arrives piece by piece and which can be cancelled. The
// transport implements it (on Beast, http:// and https://); tests can fake it.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace atrium::core::net {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct FetchResponse {
  int status = 0;
  std::string body;
  HeaderList headers;  // as received (names as the server spelled them)
};

struct FetchRequest {
  std::string method = "GET";
  std::string url;  // http:// or https://
  HeaderList headers;
  std::string body;  // sent with Content-Length when not empty
  // Resolve and connect (and, for https, the TLS handshake).
  std::chrono::milliseconds connect_timeout{5000};
  // From the request sent until the response header has arrived.
  std::chrono::milliseconds header_timeout{30000};
  // Streams: the longest silence between two pieces of the body. Blocking calls: the
  // bound for the whole body.
  std::chrono::milliseconds idle_timeout{30000};
  // Streams only: wait this long before connecting (a retry's backoff). Cancel works
  // during the wait.
  std::chrono::milliseconds start_delay{0};
  // https only: a PEM file of trusted CAs instead of the system's store.
  std::string ca_file;
};

// The receiving side of a streamed request. Every callback runs on the fetcher's own
// event-loop thread, one at a time: keep them quick and never block in them.
struct StreamCallbacks {
  // The status line and header arrived. Return false to stop (the connection closes).
  std::function<bool(int status, const HeaderList& headers)> on_head;
  // A piece of the body (chunked framing already removed). Return false to stop.
  std::function<bool(std::string_view data)> on_data;
  // Exactly once, last: ok when the body ended normally or a callback stopped it;
  // kUnavailable when the host could not be reached, a deadline passed or the
  // connection broke; kCancelled-style stops via Cancel() end with reason "cancelled".
  std::function<void(Result<void> end)> on_end;
};

// Cancels a streamed request. Thread-safe, idempotent; may be called after the end.
// The connection is closed as soon as the fetcher's loop runs (no further callbacks
// but on_end, which then reports reason "cancelled").
class StreamHandle {
 public:
  virtual ~StreamHandle() = default;
  virtual void Cancel() = 0;
};

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;
  // GET `url`. Blocks up to `timeout` in all; call it from a worker thread.
  // kUnavailable when the host cannot be reached or the deadline passes,
  // kInvalidArgument for a URL it cannot use. Any HTTP status is a success here.
  virtual Result<FetchResponse> Get(const std::string& url, const HeaderList& headers,
                                    std::chrono::milliseconds timeout) = 0;

  // Any request, blocking until the whole answer is read (bounded by the request's
  // timeouts). Errors as for Get. The default serves GETs through Get only, for
  // fetchers (test fakes) that need nothing else.
  virtual Result<FetchResponse> Send(const FetchRequest& request) {
    if (request.method != "GET") return Error(ErrorCode::kUnavailable, "this fetcher only sends GET requests");
    return Get(request.url, request.headers, request.connect_timeout + request.idle_timeout);
  }

  // Starts `request` and returns at once; the answer arrives through `callbacks`.
  // kInvalidArgument for a URL it cannot use (no callback runs then). The default
  // refuses: a fetcher that does not stream.
  virtual Result<std::shared_ptr<StreamHandle>> Stream(FetchRequest /*request*/, StreamCallbacks /*callbacks*/) {
    return Error(ErrorCode::kInvalidArgument, "this fetcher does not stream");
  }

  // POST `body` with `content_type` through Send, bounded by `timeout` in all.
  Result<FetchResponse> Post(const std::string& url, const HeaderList& headers, const std::string& content_type,
                             const std::string& body, std::chrono::milliseconds timeout) {
    FetchRequest request;
    request.method = "POST";
    request.url = url;
    request.headers = headers;
    request.headers.emplace_back("Content-Type", content_type);
    request.body = body;
    request.connect_timeout = timeout;
    request.header_timeout = timeout;
    request.idle_timeout = timeout;
    return Send(request);
  }
};

}  // namespace atrium::core::net
