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
#include "app/dialect_factory.hpp"
#include "app/dialect_list.hpp"
#include "core/admin/user_admin.hpp"
#include "core/analytics/usage_analytics.hpp"
#include "core/arena/arena_chat.hpp"
#include "core/arena/arena_service.hpp"
#include "core/assistants/assistant_config_service.hpp"
#include "core/audit/audit_log.hpp"
#include "core/chat/chat_service.hpp"
#include "core/chat/conversation_store.hpp"
#include "core/commands/command_service.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "core/health/health_service.hpp"
#include "core/health/probes.hpp"
#include "core/identity/access_tokens.hpp"
#include "core/identity/api_keys.hpp"
#include "core/identity/identity_service.hpp"
#include "core/identity/password_hasher.hpp"
#include "core/images/image_service.hpp"
#include "core/llm/gateway.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/logs/client_log_service.hpp"
#include "core/messaging/chat_responder.hpp"
#include "core/messaging/delivery_log.hpp"
#include "core/messaging/whatsapp.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"
#include "core/prompts/prompt_template_service.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "core/worker_pool.hpp"
#include "dialects/dialect.hpp"
#include "dialects/settings.hpp"
#include "http/error_renderer.hpp"
#include "http/json_body.hpp"
#include "http/site.hpp"
#include "storage/files/file_blob_store.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
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
  explicit DialectHarness(const dialects::DialectInfo& info, http::CorsOptions cors = {}, std::size_t listener = 0) {
    std::filesystem::create_directories(blobs_dir());
    auto db = storage::sqlite::SqliteDatabase::Open({dir_.File("atrium.db"), 2});
    if (!db) throw std::runtime_error("open: " + db.error().internal_message());
    db_ = std::move(db).value();
    auto migrated = storage::ApplyMigrations(*db_, storage::sqlite::SqliteMigrations());
    if (!migrated) throw std::runtime_error("migrate: " + migrated.error().internal_message());

    health_.AddProbe(std::make_unique<core::health::DatabaseProbe>(*db_, clock_));
    health_.AddProbe(std::make_unique<core::health::DirectoryProbe>("blobs", blobs_dir(), clock_));
    health_.AddProbe(std::make_unique<core::health::UnconfiguredProbe>("inference"));
    client_logs_ = std::make_unique<core::logs::ClientLogService>(*db_, clock_, random_, 100000);
    identity_ = std::make_unique<core::identity::IdentityService>(*db_, hasher_, tokens_, clock_, random_, events_,
                                                                  core::identity::IdentityOptions{});
    api_keys_ = std::make_unique<core::identity::ApiKeys>(*db_, clock_, random_, std::map<std::string, std::string>{});
    assistants_ = std::make_unique<core::assistants::AssistantConfigService>(*db_, clock_, random_);
    prompt_templates_ = std::make_unique<core::prompts::PromptTemplateService>(*db_, clock_, random_);
    audit_ = std::make_unique<core::audit::AuditLog>(*db_, clock_, random_);
    user_admin_ = std::make_unique<core::admin::UserAdmin>(*identity_, *audit_);
    blobs_ = std::make_unique<storage::files::FileBlobStore>(blobs_dir());
    images_ = std::make_unique<core::images::ImageService>(*db_, *blobs_, nullptr, std::vector<std::string>{}, clock_,
                                                           random_);
    arena_ = std::make_unique<core::arena::ArenaService>(*db_, *assistants_, clock_, random_);
    analytics_ = std::make_unique<core::analytics::UsageAnalytics>(*db_, clock_);
    // As Serve builds them: the gateway has no upstream, so every chat path answers
    // "not configured" through the same services a configured server uses.
    conversations_ = std::make_unique<core::chat::ConversationStore>(*db_, clock_, random_);
    chat_ = std::make_unique<core::chat::ChatService>(*conversations_, gateway_, events_, background_);
    arena_chat_ =
        std::make_unique<core::arena::ArenaChat>(*arena_, *assistants_, *conversations_, gateway_, background_, random_);
    commands_ = std::make_unique<core::commands::CommandService>(core::commands::CommandSources{}, clock_);
    deliveries_ = std::make_unique<core::messaging::DeliveryLog>(*db_, clock_);
    responder_ = std::make_unique<core::messaging::ChatResponder>(*chat_);
    core_ = std::make_unique<app::CoreServices>(app::CoreServices{.clock = clock_,
                                                                  .settings = settings_,
                                                                  .health = health_,
                                                                  .metrics = metrics_,
                                                                  .inference = inference_,
                                                                  .client_logs = *client_logs_,
                                                                  .identity = *identity_,
                                                                  .api_keys = *api_keys_,
                                                                  .limiter = limiter_,
                                                                  .events = events_,
                                                                  .models = models_,
                                                                  .gateway = gateway_,
                                                                  .assistants = *assistants_,
                                                                  .prompt_templates = *prompt_templates_,
                                                                  .audit = *audit_,
                                                                  .user_admin = *user_admin_,
                                                                  .images = *images_,
                                                                  .arena = *arena_,
                                                                  .arena_chat = *arena_chat_,
                                                                  .analytics = *analytics_,
                                                                  .conversations = *conversations_,
                                                                  .chat = *chat_,
                                                                  .commands = *commands_,
                                                                  .whatsapp = whatsapp_,
                                                                  .deliveries = *deliveries_,
                                                                  .responder = *responder_});

    auto module = app::MakeDialect(info, *core_);
    if (!module) throw std::runtime_error(module.error().internal_message());
    module_ = std::move(*module);
    site_ = std::make_unique<http::Site>(std::string(info.listeners.at(listener).site_name),
                                         module_->MakeErrorRenderer(), std::move(cors),
                                         http::SiteDeps{metrics_, clock_, random_}, kDefaultBodyLimit);
    module_->AddRoutes(listener, *site_);
    AddTestRoutes();
    random_.Reset();  // whatever wiring drew, the first id a test sees is 00010203-...
  }

  // Background turns (none start without an upstream) finish before the parts they use go.
  ~DialectHarness() { background_.Shutdown(); }
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
  const app::CoreServices& core() { return *core_; }
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
  core::metrics::RequestMetrics metrics_;
  core::metrics::InferenceStats inference_;
  core::health::HealthService health_{clock_, kTestVersion};
  std::unique_ptr<core::logs::ClientLogService> client_logs_;
  // Cheap Argon2 parameters: these tests never hash a password on a hot path.
  core::identity::PasswordHasher hasher_{{.memory_kib = 64, .iterations = 1, .parallelism = 1}, random_, 1};
  core::identity::AccessTokenCodec tokens_{std::string(32, 'k'), clock_, random_};
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
  core::ratelimit::RateLimiter limiter_{clock_};
  core::events::InProcessEventBus events_;
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
  core::llm::Gateway gateway_{fetcher_, clock_, &inference_};  // no upstream
  core::WorkerPool background_{1, 64};
  std::unique_ptr<core::chat::ConversationStore> conversations_;
  std::unique_ptr<core::chat::ChatService> chat_;
  std::unique_ptr<core::arena::ArenaChat> arena_chat_;
  std::unique_ptr<core::commands::CommandService> commands_;
  core::messaging::WhatsAppClient whatsapp_{core::messaging::WhatsAppSettings{}, fetcher_};  // webhook off
  std::unique_ptr<core::messaging::DeliveryLog> deliveries_;
  std::unique_ptr<core::messaging::ChatResponder> responder_;
  dialects::DialectSettings settings_;
  std::unique_ptr<app::CoreServices> core_;
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
