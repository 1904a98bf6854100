#include <boost/json.hpp>

#include "dialects/unichat/unichat.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

namespace {

class Renderer final : public http::ErrorRenderer {
 public:
  http::Response Render(const http::ApiError& error, const http::Request&) const override {
    return http::JsonReply(error.status, {{"error", error.message}});
  }
};

}  // namespace

std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() { return std::make_unique<Renderer>(); }

}  // namespace atrium::dialects::unichat
