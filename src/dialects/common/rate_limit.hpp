#pragma once
// Applying a rate rule at the edge: the core decides, this adds the X-RateLimit-*
// headers every limited response carries and builds the 429 the dialect renders.

#include <functional>
#include <optional>
#include <string>

#include "core/ratelimit/rate_limiter.hpp"
#include "dialects/common/deps.hpp"
#include "http/handler.hpp"
#include "http/result.hpp"

namespace atrium::dialects {

struct RateCheck {
  core::ratelimit::RateDecision decision;
  bool window_header = false;  // also send X-RateLimit-Window (unamentis)

  // Adds the headers to whatever the handler replied.
  void Decorate(http::Reply& reply) const;
};

// Checks (rule, key). When refused, returns a kRateLimited ApiError with Retry-After,
// the X-RateLimit-* headers and details {limit, window, retry_after}; the message is
// `message` with {seconds} replaced. When rate limits are off in the settings, always
// allows (and sends no headers). When the limiter fails, `rule.on_failure` decides:
// open allows without headers, closed answers kUnavailable (503, Retry-After: 1).
http::Result<std::optional<RateCheck>> CheckRate(const CommonDeps& services, const core::ratelimit::RateRule& rule,
                                                 const std::string& key, bool window_header,
                                                 const std::string& message);

// CheckRate with rate limits on, against `limiter`.
http::Result<std::optional<RateCheck>> CheckRate(core::ratelimit::RateLimiter& limiter,
                                                 const core::ratelimit::RateRule& rule, const std::string& key,
                                                 bool window_header, const std::string& message);

// Runs `run` under (rule, key): when refused, answers the 429 without running it;
// otherwise returns its reply with the limit's headers (a 429 from a finer limit inside
// `run` keeps that limit's headers).
http::Reply Limited(const CommonDeps& services, const core::ratelimit::RateRule& rule, const std::string& key,
                    bool window_header, const std::string& message, const std::function<http::Reply()>& run);

}  // namespace atrium::dialects
