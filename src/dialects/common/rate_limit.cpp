#include "dialects/common/rate_limit.hpp"

#include "core/ratelimit/rate_limiter.hpp"
#include "dialects/settings.hpp"

namespace atrium::dialects {

namespace {

void SetHeaders(http::Headers& h, const core::ratelimit::RateDecision& d, bool window_header) {
  h.Set("X-RateLimit-Limit", std::to_string(d.limit));
  h.Set("X-RateLimit-Remaining", std::to_string(d.remaining));
  h.Set("X-RateLimit-Reset", std::to_string(d.reset_epoch));
  if (window_header) h.Set("X-RateLimit-Window", std::to_string(d.window_seconds));
}

}  // namespace

void RateCheck::Decorate(http::Reply& reply) const {
  // Either answer carries them: a refusal tells the client its budget too.
  std::visit([&](auto& answer) { SetHeaders(answer.headers, decision, window_header); }, reply);
}

http::Result<std::optional<RateCheck>> CheckRate(const CommonDeps& services, const core::ratelimit::RateRule& rule,
                                                 const std::string& key, bool window_header,
                                                 const std::string& message) {
  if (!services.settings.rate_limits) return std::optional<RateCheck>{};
  return CheckRate(services.limiter, rule, key, window_header, message);
}

http::Result<std::optional<RateCheck>> CheckRate(core::ratelimit::RateLimiter& limiter,
                                                 const core::ratelimit::RateRule& rule, const std::string& key,
                                                 bool window_header, const std::string& message) {
  const auto checked = limiter.Check(rule, key);
  if (!checked) {
    // The limiter's state is unreachable: the rule says which way to err.
    if (rule.on_failure == core::FailMode::kOpen) return std::optional<RateCheck>{};
    http::ApiError e = http::MakeError(http::ErrorKind::kUnavailable, "Service temporarily unavailable, retry later");
    e.headers.Set("Retry-After", "1");
    return e;
  }
  const auto& d = *checked;
  if (d.allowed) return std::optional<RateCheck>{RateCheck{d, window_header}};
  std::string text = message;
  if (const auto at = text.find("{seconds}"); at != std::string::npos) {
    text.replace(at, 9, std::to_string(d.retry_after));
  }
  http::ApiError e = http::MakeError(http::ErrorKind::kRateLimited, text);
  e.details["limit"] = d.limit;
  e.details["window"] = d.window_seconds;
  e.details["retry_after"] = d.retry_after;
  SetHeaders(e.headers, d, window_header);
  e.headers.Set("Retry-After", std::to_string(d.retry_after));
  return e;
}

http::Reply Limited(const CommonDeps& services, const core::ratelimit::RateRule& rule, const std::string& key,
                    bool window_header, const std::string& message, const std::function<http::Reply()>& run) {
  auto checked = CheckRate(services, rule, key, window_header, message);
  if (!checked) return std::move(checked).error();
  http::Reply reply = run();
  // A handler's own rate-limit refusal keeps its own headers.
  if (std::holds_alternative<http::ApiError>(reply) &&
      std::get<http::ApiError>(reply).kind == http::ErrorKind::kRateLimited) {
    return reply;
  }
  if (const auto& check = *checked) check->Decorate(reply);
  return reply;
}

}  // namespace atrium::dialects
