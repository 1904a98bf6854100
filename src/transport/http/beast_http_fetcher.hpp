#pragma once
// core::net::HttpFetcher on Beast: one plain-HTTP/1.1 GET per call on a private event
// loop, bounded by the deadline end to end (resolve, connect, write, read).

#include "core/net/http_fetcher.hpp"

namespace atrium::transport {

class BeastHttpFetcher final : public core::net::HttpFetcher {
 public:
  // Bodies larger than this are refused (a model list is a few KiB).
  static constexpr std::size_t kMaxBody = 4 << 20;

  core::Result<core::net::FetchResponse> Get(const std::string& url,
                                             const std::vector<std::pair<std::string, std::string>>& headers,
                                             std::chrono::milliseconds timeout) override;
  core::Result<core::net::FetchResponse> Post(const std::string& url,
                                              const std::vector<std::pair<std::string, std::string>>& headers,
                                              const std::string& content_type, const std::string& body,
                                              std::chrono::milliseconds timeout) override;

 private:
  core::Result<core::net::FetchResponse> Send(bool post, const std::string& url,
                                              const std::vector<std::pair<std::string, std::string>>& headers,
                                              const std::string& content_type, const std::string& body,
                                              std::chrono::milliseconds timeout);
};

}  // namespace atrium::transport
