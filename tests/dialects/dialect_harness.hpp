#pragma once
// One dialect's Site, wired the way src/app/application.cpp wires it (the same core
// services, built into the dialect's Deps by the same factory, app/dialect_factory.hpp;
// the same probes, CORS and body limit), but with a fixed clock, deterministic ids, no
// LLM upstream and a database in a temporary directory; requests are driven through
// the Site directly, without a network. A few test-only routes exercise the shared
// error paths.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "app/core_services.hpp"
#include "app/dialect_list.hpp"
#include "core/identity/identity_service.hpp"
#include "core/logs/client_log_service.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"
#include "dialects/dialect.hpp"
#include "http/json_body.hpp"
#include "http/site.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::testing {

inline constexpr const char* kTestVersion = "9.9.9-test";
inline constexpr std::size_t kDefaultBodyLimit = 64 * 1024;  // Config::default_body_limit

// The dialects of app/dialect_list.hpp, by name for the fixtures.
inline const dialects::DialectInfo& Unamentis() { return dialects::unamentis::kInfo; }
inline const dialects::DialectInfo& Unichat() { return dialects::unichat::kInfo; }
inline const dialects::DialectInfo& Secondbrain() { return dialects::secondbrain::kInfo; }
inline const dialects::DialectInfo& Pisovereign() { return dialects::pisovereign::kInfo; }
inline const dialects::DialectInfo& Mira() { return dialects::mira::kInfo; }
inline const dialects::DialectInfo& OpenAi() { return dialects::openai::kInfo; }

class DialectHarness {
 public:
  // The site of `info`'s listener `listener` (0: its main port).
  explicit DialectHarness(const dialects::DialectInfo& info, http::CorsOptions cors = {}, std::size_t listener = 0);
  ~DialectHarness();
  DialectHarness(const DialectHarness&) = delete;
  DialectHarness& operator=(const DialectHarness&) = delete;

  http::Request Make(http::Method method, std::string_view target, std::string body = {},
                     std::optional<std::string> content_type = std::nullopt) const {
    http::Request req;
    req.method = method;
    req.method_text = std::string(http::MethodName(method));
    req.target = std::string(target);
    const auto q = target.find('?');
    req.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
    if (content_type) req.headers.Add("Content-Type", *content_type);
    req.body = std::move(body);
    req.remote_address = "127.0.0.1";
    req.received_at = clock_.Steady();
    return req;
  }

  // What the transport does for a request it read completely.
  http::Response Send(http::Request req, std::string_view request_id = "req-1") {
    site_->Begin(req, request_id);
    const http::RouteMatch match = site_->Match(req);
    return site_->Handle(req, match);
  }
  http::Response Get(std::string_view target) { return Send(Make(http::Method::kGet, target)); }
  http::Response PostJson(std::string_view target, std::string body) {
    return Send(Make(http::Method::kPost, target, std::move(body), "application/json"));
  }

  // What the transport does for a request it refuses itself (413, 431, 408).
  http::Response Fail(const http::ApiError& error, std::string_view target = "/test/echo") {
    http::Request req = Make(http::Method::kPost, target);
    site_->Begin(req, "req-1");
    return site_->Fail(req, error);
  }

  std::filesystem::path blobs_dir() const { return dir_.path() / "blobs"; }

  FakeClock& clock() { return clock_; }
  // The core objects the factory builds a dialect's Deps from (app::MiraDeps(core()), ...).
  const app::CoreServices& core();
  core::identity::IdentityService& identity();
  http::Site& site() { return *site_; }
  core::metrics::RequestMetrics& metrics() { return metrics_; }
  core::metrics::InferenceStats& inference() { return inference_; }
  core::logs::ClientLogService& client_logs();
  core::metrics::DialectStats& stats() { return *metrics_.Dialect(site_->name()); }

 private:
  void AddTestRoutes() {
    site_->Add(http::Method::kPost, "/test/echo", [](http::Request& req) -> http::Reply {
      auto body = http::ParseJsonObject(req);
      if (!body) return std::move(body).error();
      return http::JsonReply(200, *body);
    });
    site_->Add(http::Method::kGet, "/test/throw",
               [](http::Request&) -> http::Reply { throw std::runtime_error("secret detail"); });
    site_->Add(http::Method::kPost, "/test/validate", [](http::Request&) -> http::Reply {
      return http::MakeError(http::ErrorKind::kValidation, "name is required");
    });
  }

  TempDir dir_;
  FakeClock clock_;
  FakeRandom random_;
  core::metrics::RequestMetrics metrics_;
  core::metrics::InferenceStats inference_;
  struct Parts;  // the core objects (dialect_harness.cpp)
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<dialects::Dialect> module_;  // outlives the site: its routes refer to the module's Deps
  std::unique_ptr<http::Site> site_;
};

inline http::ApiError TooLarge() {
  return http::MakeError(http::ErrorKind::kPayloadTooLarge, "Request body exceeds 65536 bytes");
}

// The whole body must equal `expected_json`; status and content type are checked too.
inline void ExpectJson(const http::Response& r, int status, std::string_view expected_json) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
  boost::system::error_code ec;
  const boost::json::value actual = boost::json::parse(r.body, ec);
  ASSERT_FALSE(ec) << "not JSON: " << r.body;
  EXPECT_EQ(actual, boost::json::parse(expected_json)) << "actual: " << r.body;
}

}  // namespace atrium::testing
