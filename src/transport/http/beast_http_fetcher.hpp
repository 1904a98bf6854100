#pragma once
// core::net::HttpFetcher on Beast: HTTP/1.1 over TCP, or over TLS (OpenSSL, peer and
// host name verified) for https:// URLs. Every request runs as a coroutine on the
// fetcher's own event-loop thread, so streamed upstream answers never occupy a worker
// thread, and Cancel closes the connection as soon as that loop runs.

#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/net/http_fetcher.hpp"

namespace atrium::transport {

class BeastHttpFetcher final : public core::net::HttpFetcher {
 public:
  // Bodies larger than this are refused by blocking calls (images come as base64).
  static constexpr std::size_t kMaxBody = 32 << 20;
  // The longest response header accepted.
  static constexpr std::uint32_t kMaxHeader = 64 << 10;

  BeastHttpFetcher();
  // Stops the loop; requests still running end without further callbacks.
  ~BeastHttpFetcher() override;
  BeastHttpFetcher(const BeastHttpFetcher&) = delete;
  BeastHttpFetcher& operator=(const BeastHttpFetcher&) = delete;

  core::Result<core::net::FetchResponse> Get(const std::string& url, const core::net::HeaderList& headers,
                                             std::chrono::milliseconds timeout) override;
  core::Result<core::net::FetchResponse> Send(const core::net::FetchRequest& request) override;
  core::Result<std::shared_ptr<core::net::StreamHandle>> Stream(core::net::FetchRequest request,
                                                                core::net::StreamCallbacks callbacks) override;

  // Ends the loop thread (idempotent). Called before the objects that callbacks refer
  // to are destroyed.
  void Stop();

  struct Loop;

 private:
  std::unique_ptr<Loop> loop_;
};

}  // namespace atrium::transport
