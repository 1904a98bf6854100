#pragma once
// Outgoing HTTP as the core sees it: one blocking request, with a deadline. The
// transport implements it (on Beast); tests can fake it.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace atrium::core::net {

struct FetchResponse {
  int status = 0;
  std::string body;
};

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;
  // GET `url` (http:// only for now). Blocks up to `timeout` in all; call it from a
  // worker thread. kUnavailable when the host cannot be reached or the deadline passes,
  // kInvalidArgument for a URL it cannot use. Any HTTP status is a success here.
  virtual Result<FetchResponse> Get(const std::string& url,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    std::chrono::milliseconds timeout) = 0;
  // POST `body` with `content_type`, same contract as Get. The default refuses, for
  // fetchers that only read.
  virtual Result<FetchResponse> Post(const std::string& url,
                                     const std::vector<std::pair<std::string, std::string>>& headers,
                                     const std::string& content_type, const std::string& body,
                                     std::chrono::milliseconds timeout) {
    (void)url, (void)headers, (void)content_type, (void)body, (void)timeout;
    return Error(ErrorCode::kUnavailable, "this fetcher cannot send");
  }
};

}  // namespace atrium::core::net
