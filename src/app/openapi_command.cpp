#include "app/openapi_command.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/application.hpp"
#include "app/core_services.hpp"
#include "app/dialect_factory.hpp"
#include "app/speech_parts.hpp"
#include "core/admin/user_admin.hpp"
#include "core/analytics/usage_analytics.hpp"
#include "core/arena/arena_chat.hpp"
#include "core/arena/arena_service.hpp"
#include "core/assistants/assistant_config_service.hpp"
#include "core/audit/audit_log.hpp"
#include "core/chat/chat_service.hpp"
#include "core/chat/conversation_store.hpp"
#include "core/chat/in_memory_turn_registry.hpp"
#include "core/chat/running_turns.hpp"
#include "core/commands/command_service.hpp"
#include "core/documents/document_search.hpp"
#include "core/documents/document_service.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "core/export/export_service.hpp"
#include "core/health/health_service.hpp"
#include "core/images/image_service.hpp"
#include "core/jobs/job_queue.hpp"
#include "core/llm/gateway.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/logs/client_log_service.hpp"
#include "core/media/media_service.hpp"
#include "core/memory/memory_service.hpp"
#include "core/messaging/delivery_log.hpp"
#include "core/messaging/responder.hpp"
#include "core/messaging/whatsapp.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/metrics/shared_state_stats.hpp"
#include "core/prompts/prompt_template_service.hpp"
#include "core/ratelimit/in_memory_rate_limiter.hpp"
#include "core/retrieval/retriever.hpp"
#include "core/worker_pool.hpp"
#include "dialects/common/echo_routes.hpp"
#include "dialects/pisovereign/pisovereign.hpp"
#include "dialects/settings.hpp"
#include "engines/documents/document_extractor.hpp"
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
  core::metrics::SharedStateStats shared_state;
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
  // No route runs: the chat parts are there because the module takes them, not called.
  core::llm::Gateway gateway(fetcher, clock);
  core::chat::ConversationStore& conversations = repos.conversations;
  core::WorkerPool background(1, 16);
  core::chat::ChatService chat(conversations, gateway, events, background);
  core::arena::ArenaChat arena_chat(arena, assistants, conversations, gateway, background, random);
  core::commands::CommandService commands({}, clock, config.zoneinfo_dir);
  core::messaging::WhatsAppClient whatsapp({}, fetcher);
  core::messaging::DeliveryLog deliveries(repos, clock);
  core::messaging::UnavailableResponder responder;
  core::chat::InMemoryTurnRegistry turn_registry;
  core::chat::RunningTurns turns(turn_registry, events, background);
  SpeechParts speech(config, fetcher, random);
  core::memory::MemoryService memory(repos.memories, events, clock, random);
  core::exports::ExportService exports(conversations, nullptr, id.links, clock);
  core::jobs::JobQueue job_queue(repos.transactions, repos.jobs, clock, random);
  engines::documents::DocumentExtractor extractor;
  core::documents::DocumentService documents(repos.documents, blobs, extractor, job_queue, clock, random);
  core::documents::DocumentSearch document_search(repos.documents);
  const core::retrieval::Retriever retriever(memory, document_search);
  core::media::MediaService media({}, nullptr, nullptr, nullptr, false);
  const CoreServices core{.clock = clock,
                          .settings = settings,
                          .health = health,
                          .metrics = metrics,
                          .inference = inference,
                          .shared_state = shared_state,
                          .client_logs = client_logs,
                          .identity = id.identity,
                          .api_keys = id.api_keys,
                          .limiter = limiter,
                          .events = events,
                          .models = models,
                          .gateway = gateway,
                          .assistants = assistants,
                          .prompt_templates = prompt_templates,
                          .audit = audit,
                          .user_admin = user_admin,
                          .images = images,
                          .arena = arena,
                          .arena_chat = arena_chat,
                          .analytics = analytics,
                          .conversations = conversations,
                          .chat = chat,
                          .commands = commands,
                          .whatsapp = whatsapp,
                          .deliveries = deliveries,
                          .responder = responder,
                          .turns = turns,
                          .speech = speech.service(),
                          .memory = memory,
                          .exports = exports,
                          .documents = documents,
                          .retriever = retriever,
                          .media = media};
  const auto module = dialects::pisovereign::MakeDialect(PisovereignDeps(core));
  http::Site site(dialect, module->MakeErrorRenderer(), {}, {metrics, clock, random}, config.default_body_limit);
  module->AddRoutes(0, site);
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
