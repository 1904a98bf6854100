#include "app/openapi_command.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/application.hpp"
#include "core/chat/in_memory_turn_registry.hpp"
#include "core/chat/running_turns.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "core/health/health_service.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/logs/client_log_service.hpp"
#include "core/ratelimit/in_memory_rate_limiter.hpp"
#include "dialects/common/echo_routes.hpp"
#include "dialects/pisovereign/pisovereign.hpp"
#include "http/json_body.hpp"
#include "storage/files/file_blob_store.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "transport/http/beast_http_fetcher.hpp"

namespace atrium::app {

namespace {

namespace fs = std::filesystem;

int Fail(const std::string& line) {
  std::fprintf(stderr, "atrium: openapi: %s\n", line.c_str());
  return 1;
}

// A temporary directory removed when it goes out of scope.
struct ScratchDir {
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "atrium-openapi-XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) path = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
  std::string path;
};

}  // namespace

int ExportOpenApi(const Config& config, const std::string& dialect, const std::string& output) {
  if (dialect != dialects::pisovereign::kName) return Fail("only the pisovereign dialect has an OpenAPI document");
  ScratchDir scratch;
  if (scratch.path.empty()) return Fail("cannot create a temporary directory");
  auto db = storage::sqlite::SqliteDatabase::Open({(fs::path(scratch.path) / "atrium.db").string(), 1});
  if (!db) return Fail("database: " + db.error().internal_message());
  if (auto m = storage::ApplyMigrations(**db, storage::sqlite::SqliteMigrations()); !m) {
    return Fail("database: " + m.error().internal_message());
  }
  core::SystemClock clock;
  core::SecureRandom random;
  auto stores = storage::sqlite::OpenRepositories(**db, clock, random);
  const core::persistence::Repositories& repos = stores->repos();
  core::metrics::RequestMetrics metrics;
  core::metrics::InferenceStats inference;
  core::health::HealthService health(clock, kVersion);
  transport::BeastHttpFetcher fetcher;  // never called: no route runs
  core::llm::ModelCatalog models(core::llm::UpstreamSettings{}, fetcher, clock);
  core::events::InProcessEventBus events;
  core::logs::ClientLogService client_logs(repos, clock, random, 1000, &events);
  IdentityParts id(config, repos, clock, random, events, std::string(32, 'k'));
  core::ratelimit::InMemoryRateLimiter limiter(clock);
  const dialects::DialectSettings settings{config.rate_limits, config.pisovereign_rate_limit_rpm,
                                           config.pisovereign_environment, config.data_dir, config.swagger_ui_dir};
  core::assistants::AssistantConfigService assistants(repos, clock, random);
  core::prompts::PromptTemplateService prompt_templates(repos, clock, random);
  core::audit::AuditLog audit(repos, clock, random);
  core::admin::UserAdmin user_admin(id.identity, audit);
  storage::files::FileBlobStore blobs(fs::path(scratch.path) / "blobs");
  core::images::ImageService images(repos, blobs, nullptr, {}, clock, random);
  core::arena::ArenaService arena(repos, assistants, clock, random);
  core::analytics::UsageAnalytics analytics(repos, clock);
  core::WorkerPool cancels(1, 16);
  core::chat::InMemoryTurnRegistry turn_registry;
  core::chat::RunningTurns turns(turn_registry, events, cancels);
  const dialects::Services services{clock,      health, metrics, inference, client_logs, id.identity,      id.api_keys,
                                    limiter,    events, models,  settings,  assistants,  prompt_templates, audit,
                                    user_admin, images, arena,   analytics, turns};
  http::Site site(dialect, dialects::pisovereign::MakeErrorRenderer(), {}, {metrics, clock, random},
                  config.default_body_limit);
  dialects::pisovereign::AddRoutes(site, services);
  if (config.testing_echo_routes) dialects::AddEchoRoutes(site);
  const std::string text = http::ToJsonText(dialects::pisovereign::OpenApiDocument(site)) + "\n";
  if (output == "-") {
    std::cout << text;
    return std::cout ? 0 : 1;
  }
  std::ofstream out(output, std::ios::trunc);
  if (!(out << text)) return Fail("cannot write " + output);
  return 0;
}

}  // namespace atrium::app
