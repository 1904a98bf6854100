#include <boost/json.hpp>

#include "dialects/unichat/unichat.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

namespace {

class Renderer final : public http::ErrorRenderer {
 public:
  http::Response Render(const http::ApiError& error, const http::Request&) const override {
    // The request rate limit has one fixed message; the token limit says what it is.
    if (error.kind == http::ErrorKind::kRateLimited && error.reason != core::Reason::kTokenLimitExceeded) {
      return http::JsonReply(429, {{"error", "Rate limit exceeded. Please try again later."}});
    }
    return http::JsonReply(error.status, {{"error", error.message}});
  }
};

}  // namespace

std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() { return std::make_unique<Renderer>(); }

}  // namespace atrium::dialects::unichat
