#pragma once
// One dialect's Site, wired the way src/app/application.cpp wires it (same services,
// probes, CORS and body limit), but with a fixed clock, deterministic ids and a
// database in a temporary directory; requests are driven through the Site directly,
// without a network. A few test-only routes exercise the shared error paths.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/chat/in_memory_turn_registry.hpp"
#include "core/chat/running_turns.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "core/health/probes.hpp"
#include "core/identity/access_tokens.hpp"
#include "core/identity/api_keys.hpp"
#include "core/identity/identity_service.hpp"
#include "core/identity/in_memory_login_throttle.hpp"
#include "core/identity/password_hasher.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/logs/client_log_service.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/ratelimit/in_memory_rate_limiter.hpp"
#include "dialects/mira/mira.hpp"
#include "dialects/pisovereign/pisovereign.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "dialects/services.hpp"
#include "dialects/unamentis/unamentis.hpp"
#include "dialects/unichat/unichat.hpp"
#include "http/json_body.hpp"
#include "storage/files/file_blob_store.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::testing {

inline constexpr const char* kTestVersion = "9.9.9-test";
inline constexpr std::size_t kDefaultBodyLimit = 64 * 1024;  // Config::default_body_limit

struct DialectSpec {
  std::string name;
  std::function<std::unique_ptr<http::ErrorRenderer>(const core::Clock&)> make_renderer;
  void (*add_routes)(http::Site&, const dialects::Services&);
};

inline DialectSpec Unamentis() {
  return {dialects::unamentis::kName, [](const core::Clock&) { return dialects::unamentis::MakeErrorRenderer(); },
          dialects::unamentis::AddRoutes};
}
inline DialectSpec Unichat() {
  return {dialects::unichat::kName, [](const core::Clock&) { return dialects::unichat::MakeErrorRenderer(); },
          dialects::unichat::AddRoutes};
}
inline DialectSpec Secondbrain() {
  return {dialects::secondbrain::kName,
          [](const core::Clock& clock) { return dialects::secondbrain::MakeErrorRenderer(clock); },
          dialects::secondbrain::AddRoutes};
}
inline DialectSpec Pisovereign() {
  return {dialects::pisovereign::kName, [](const core::Clock&) { return dialects::pisovereign::MakeErrorRenderer(); },
          dialects::pisovereign::AddRoutes};
}
inline DialectSpec Mira() {
  return {dialects::mira::kName, [](const core::Clock& clock) { return dialects::mira::MakeErrorRenderer(clock); },
          dialects::mira::AddRoutes};
}

class DialectHarness {
 public:
  explicit DialectHarness(const DialectSpec& spec, http::CorsOptions cors = {}) {
    std::filesystem::create_directories(blobs_dir());
    auto db = storage::sqlite::SqliteDatabase::Open({dir_.File("atrium.db"), 2});
    if (!db) throw std::runtime_error("open: " + db.error().internal_message());
    db_ = std::move(db).value();
    auto migrated = storage::ApplyMigrations(*db_, storage::sqlite::SqliteMigrations());
    if (!migrated) throw std::runtime_error("migrate: " + migrated.error().internal_message());

    stores_ = storage::sqlite::OpenRepositories(*db_, clock_, random_);
    const core::persistence::Repositories& repos = stores_->repos();
    health_.AddProbe(std::make_unique<core::health::DatabaseProbe>([this] { return db_->Ping(); }, clock_));
    health_.AddProbe(std::make_unique<core::health::DirectoryProbe>("blobs", blobs_dir(), clock_));
    health_.AddProbe(std::make_unique<core::health::UnconfiguredProbe>("inference"));
    client_logs_ = std::make_unique<core::logs::ClientLogService>(repos, clock_, random_, 100000);
    identity_ = std::make_unique<core::identity::IdentityService>(repos, hasher_, tokens_, clock_, random_, events_,
                                                                  throttle_, core::identity::IdentityOptions{});
    api_keys_ = std::make_unique<core::identity::ApiKeys>(repos, clock_, random_, std::map<std::string, std::string>{});
    assistants_ = std::make_unique<core::assistants::AssistantConfigService>(repos, clock_, random_);
    prompt_templates_ = std::make_unique<core::prompts::PromptTemplateService>(repos, clock_, random_);
    audit_ = std::make_unique<core::audit::AuditLog>(repos, clock_, random_);
    user_admin_ = std::make_unique<core::admin::UserAdmin>(*identity_, *audit_);
    blobs_ = std::make_unique<storage::files::FileBlobStore>(blobs_dir());
    images_ = std::make_unique<core::images::ImageService>(repos, *blobs_, nullptr, std::vector<std::string>{}, clock_,
                                                           random_);
    arena_ = std::make_unique<core::arena::ArenaService>(repos, *assistants_, clock_, random_);
    analytics_ = std::make_unique<core::analytics::UsageAnalytics>(repos, clock_);
    services_ = std::make_unique<dialects::Services>(dialects::Services{
        clock_, health_, metrics_, inference_, *client_logs_, *identity_, *api_keys_, limiter_, events_, models_,
        settings_, *assistants_, *prompt_templates_, *audit_, *user_admin_, *images_, *arena_, *analytics_, turns_});

    site_ = std::make_unique<http::Site>(spec.name, spec.make_renderer(clock_), std::move(cors),
                                         http::SiteDeps{metrics_, clock_, random_}, kDefaultBodyLimit);
    spec.add_routes(*site_, *services_);
    AddTestRoutes();
    random_.Reset();  // whatever wiring drew, the first id a test sees is 00010203-...
  }

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
  const dialects::Services& services() { return *services_; }
  core::identity::IdentityService& identity() { return *identity_; }
  http::Site& site() { return *site_; }
  core::metrics::RequestMetrics& metrics() { return metrics_; }
  core::metrics::InferenceStats& inference() { return inference_; }
  core::logs::ClientLogService& client_logs() { return *client_logs_; }
  core::metrics::DialectStats& stats() { return *metrics_.Dialect(site_->name()); }

 private:
  void AddTestRoutes() {
    site_->Add(http::Method::kPost, "/test/echo", [](http::Request& req) -> http::Reply {
      auto body = http::ParseJsonObject(req);
      if (auto* e = std::get_if<http::ApiError>(&body)) return std::move(*e);
      return http::JsonReply(200, std::get<boost::json::object>(body));
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
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
  core::metrics::RequestMetrics metrics_;
  core::metrics::InferenceStats inference_;
  core::health::HealthService health_{clock_, kTestVersion};
  std::unique_ptr<core::logs::ClientLogService> client_logs_;
  // Cheap Argon2 parameters: these tests never hash a password on a hot path.
  core::identity::PasswordHasher hasher_{{.memory_kib = 64, .iterations = 1, .parallelism = 1}, random_, 1};
  core::identity::AccessTokenCodec tokens_{std::string(32, 'k'), clock_, random_};
  core::identity::InMemoryLoginThrottle throttle_{clock_, {}};
  std::unique_ptr<core::identity::IdentityService> identity_;
  std::unique_ptr<core::identity::ApiKeys> api_keys_;
  std::unique_ptr<core::assistants::AssistantConfigService> assistants_;
  std::unique_ptr<core::prompts::PromptTemplateService> prompt_templates_;
  std::unique_ptr<core::audit::AuditLog> audit_;
  std::unique_ptr<core::admin::UserAdmin> user_admin_;
  std::unique_ptr<storage::files::FileBlobStore> blobs_;
  std::unique_ptr<core::images::ImageService> images_;
  std::unique_ptr<core::arena::ArenaService> arena_;
  std::unique_ptr<core::analytics::UsageAnalytics> analytics_;
  core::ratelimit::InMemoryRateLimiter limiter_{clock_};
  core::events::InProcessEventBus events_;
  core::WorkerPool cancels_{1, 64};
  core::chat::InMemoryTurnRegistry turn_registry_;
  core::chat::RunningTurns turns_{turn_registry_, events_, cancels_};
  // No upstream is configured, so the catalog answers "not configured" and never fetches.
  class UnusedFetcher final : public core::net::HttpFetcher {
   public:
    core::Result<core::net::FetchResponse> Get(const std::string&,
                                               const std::vector<std::pair<std::string, std::string>>&,
                                               std::chrono::milliseconds) override {
      throw std::logic_error("the dialect harness has no LLM upstream");
    }
  };
  UnusedFetcher fetcher_;
  core::llm::ModelCatalog models_{core::llm::UpstreamSettings{}, fetcher_, clock_};
  dialects::DialectSettings settings_;
  std::unique_ptr<dialects::Services> services_;
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
