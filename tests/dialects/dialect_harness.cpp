#include "dialects/dialect_harness.hpp"

#include "app/dialect_factory.hpp"
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
#include "core/health/probes.hpp"
#include "core/identity/access_tokens.hpp"
#include "core/identity/api_keys.hpp"
#include "core/identity/identity_service.hpp"
#include "core/identity/in_memory_login_throttle.hpp"
#include "core/identity/link_signer.hpp"
#include "core/identity/password_hasher.hpp"
#include "core/images/image_service.hpp"
#include "core/jobs/job_queue.hpp"
#include "core/llm/gateway.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/logs/client_log_service.hpp"
#include "core/media/media_service.hpp"
#include "core/memory/memory_service.hpp"
#include "core/messaging/chat_responder.hpp"
#include "core/messaging/delivery_log.hpp"
#include "core/messaging/whatsapp.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"
#include "core/metrics/shared_state_stats.hpp"
#include "core/prompts/prompt_template_service.hpp"
#include "core/ratelimit/in_memory_rate_limiter.hpp"
#include "core/retrieval/retriever.hpp"
#include "core/speech/speech_service.hpp"
#include "core/worker_pool.hpp"
#include "dialects/settings.hpp"
#include "engines/audio/sndfile_decoder.hpp"
#include "engines/documents/document_extractor.hpp"
#include "http/error_renderer.hpp"
#include "storage/files/file_blob_store.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"

namespace atrium::testing {

// The core objects, as Serve builds them (app/application.cpp).
struct DialectHarness::Parts {
  Parts(TempDir& dir, FakeClock& clock, FakeRandom& random, core::metrics::RequestMetrics& metrics,
        core::metrics::InferenceStats& inference)
      : dir_(dir), clock_(clock), random_(random), metrics_(metrics), inference_(inference) {
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
    // As Serve builds them: the gateway has no upstream, so every chat path answers
    // "not configured" through the same services a configured server uses.
    conversations_ = &repos.conversations;
    chat_ = std::make_unique<core::chat::ChatService>(*conversations_, gateway_, events_, background_);
    arena_chat_ = std::make_unique<core::arena::ArenaChat>(*arena_, *assistants_, *conversations_, gateway_,
                                                           background_, random_);
    commands_ = std::make_unique<core::commands::CommandService>(core::commands::CommandSources{}, clock_);
    deliveries_ = std::make_unique<core::messaging::DeliveryLog>(repos, clock_);
    responder_ = std::make_unique<core::messaging::ChatResponder>(*chat_);
    memory_ = std::make_unique<core::memory::MemoryService>(repos.memories, events_, clock_, random_);
    exports_ = std::make_unique<core::exports::ExportService>(*conversations_, nullptr, links_, clock_);
    job_queue_ = std::make_unique<core::jobs::JobQueue>(repos.transactions, repos.jobs, clock_, random_);
    documents_ = std::make_unique<core::documents::DocumentService>(repos.documents, *blobs_, extractor_, *job_queue_,
                                                                    clock_, random_);
    document_search_ = std::make_unique<core::documents::DocumentSearch>(repos.documents);
    retriever_ = std::make_unique<core::retrieval::Retriever>(*memory_, *document_search_);
    media_ = std::make_unique<core::media::MediaService>(std::vector<core::media::DiagramRenderer*>{}, nullptr, nullptr,
                                                         nullptr, false);
    core_ = std::make_unique<app::CoreServices>(app::CoreServices{.clock = clock_,
                                                                  .settings = settings_,
                                                                  .health = health_,
                                                                  .metrics = metrics_,
                                                                  .inference = inference_,
                                                                  .shared_state = shared_state_,
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
                                                                  .responder = *responder_,
                                                                  .turns = turns_,
                                                                  .speech = speech_,
                                                                  .memory = *memory_,
                                                                  .exports = *exports_,
                                                                  .documents = *documents_,
                                                                  .retriever = *retriever_,
                                                                  .media = *media_});
  }

  std::filesystem::path blobs_dir() const { return dir_.path() / "blobs"; }

  TempDir& dir_;
  FakeClock& clock_;
  FakeRandom& random_;
  core::metrics::RequestMetrics& metrics_;
  core::metrics::InferenceStats& inference_;
  core::metrics::SharedStateStats shared_state_;  // nothing shared: not reported
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
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
  core::chat::InMemoryTurnRegistry turn_registry_;
  core::chat::RunningTurns turns_{turn_registry_, events_, background_};
  // The decoder is real; no engine is configured (speech answers "not configured").
  engines::audio::SndfileDecoder decoder_;
  core::metrics::SpeechStats speech_stats_;
  core::speech::SpeechService speech_{decoder_, decoder_, nullptr, nullptr, {}, speech_stats_};
  core::chat::ConversationStore* conversations_ = nullptr;  // the repositories' (stores_)
  std::unique_ptr<core::chat::ChatService> chat_;
  std::unique_ptr<core::arena::ArenaChat> arena_chat_;
  std::unique_ptr<core::commands::CommandService> commands_;
  core::messaging::WhatsAppClient whatsapp_{core::messaging::WhatsAppSettings{}, fetcher_};  // webhook off
  std::unique_ptr<core::messaging::DeliveryLog> deliveries_;
  std::unique_ptr<core::messaging::ChatResponder> responder_;
  std::unique_ptr<core::memory::MemoryService> memory_;
  core::identity::LinkSigner links_{"dialect-harness-link-key"};
  std::unique_ptr<core::exports::ExportService> exports_;
  engines::documents::DocumentExtractor extractor_;
  std::unique_ptr<core::jobs::JobQueue> job_queue_;
  std::unique_ptr<core::documents::DocumentService> documents_;
  std::unique_ptr<core::documents::DocumentSearch> document_search_;
  std::unique_ptr<core::retrieval::Retriever> retriever_;
  std::unique_ptr<core::media::MediaService> media_;
  dialects::DialectSettings settings_;
  std::unique_ptr<app::CoreServices> core_;
};

DialectHarness::DialectHarness(const dialects::DialectInfo& info, http::CorsOptions cors, std::size_t listener)
    : parts_(std::make_unique<Parts>(dir_, clock_, random_, metrics_, inference_)) {
  auto module = app::MakeDialect(info, *parts_->core_);
  if (!module) throw std::runtime_error(module.error().internal_message());
  module_ = std::move(*module);
  site_ = std::make_unique<http::Site>(std::string(info.listeners.at(listener).site_name), module_->MakeErrorRenderer(),
                                       std::move(cors), http::SiteDeps{metrics_, clock_, random_}, kDefaultBodyLimit);
  module_->AddRoutes(listener, *site_);
  AddTestRoutes();
  random_.Reset();  // whatever wiring drew, the first id a test sees is 00010203-...
}

// Background turns (none start without an upstream) finish before the parts they use go.
DialectHarness::~DialectHarness() { parts_->background_.Shutdown(); }

const app::CoreServices& DialectHarness::core() { return *parts_->core_; }
core::identity::IdentityService& DialectHarness::identity() { return *parts_->identity_; }
core::logs::ClientLogService& DialectHarness::client_logs() { return *parts_->client_logs_; }

}  // namespace atrium::testing
