#include "app/application.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "app/core_services.hpp"
#include "app/dialect_factory.hpp"
#include "app/dialect_list.hpp"
#include "app/llm_config.hpp"
#include "app/media_parts.hpp"
#include "app/open_database.hpp"
#include "app/shared_state.hpp"
#include "app/speech_parts.hpp"
#include "core/admin/user_admin.hpp"
#include "core/analytics/usage_analytics.hpp"
#include "core/arena/arena_chat.hpp"
#include "core/arena/arena_service.hpp"
#include "core/assistants/assistant_config_service.hpp"
#include "core/audit/audit_log.hpp"
#include "core/calendar/calendar_store.hpp"
#include "core/chat/chat_service.hpp"
#include "core/chat/conversation_store.hpp"
#include "core/chat/running_turns.hpp"
#include "core/chat/title_job.hpp"
#include "core/commands/command_service.hpp"
#include "core/documents/document_search.hpp"
#include "core/documents/document_service.hpp"
#include "core/documents/process_document_job.hpp"
#include "core/export/export_service.hpp"
#include "core/health/function_probe.hpp"
#include "core/health/health_service.hpp"
#include "core/health/probes.hpp"
#include "core/identity/access_tokens.hpp"
#include "core/identity/api_keys.hpp"
#include "core/identity/identity_service.hpp"
#include "core/identity/in_memory_login_throttle.hpp"
#include "core/identity/password_hasher.hpp"
#include "core/images/gateway_image_backend.hpp"
#include "core/images/image_service.hpp"
#include "core/instances/instance_registry.hpp"
#include "core/jobs/job_queue.hpp"
#include "core/jobs/job_runner.hpp"
#include "core/jobs/sleep_job.hpp"
#include "core/llm/gateway.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/llm/upstream_probe.hpp"
#include "core/logs/client_log_service.hpp"
#include "core/memory/extraction_job.hpp"
#include "core/memory/memory_service.hpp"
#include "core/messaging/chat_responder.hpp"
#include "core/messaging/delivery_log.hpp"
#include "core/messaging/whatsapp.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"
#include "core/metrics/shared_state_stats.hpp"
#include "core/prompts/prompt_template_service.hpp"
#include "core/retrieval/embedder.hpp"
#include "core/retrieval/embedding_jobs.hpp"
#include "core/retrieval/retriever.hpp"
#include "core/retrieval/semantic_index.hpp"
#include "core/weather/open_meteo.hpp"
#include "core/worker_pool.hpp"
#include "dialects/common/echo_routes.hpp"
#include "dialects/common/job_routes.hpp"
#include "dialects/common/socketio_echo.hpp"
#include "dialects/settings.hpp"
#include "engines/documents/document_extractor.hpp"
#include "engines/documents/textcat_language.hpp"
#include "engines/export/cairo_pdf_renderer.hpp"
#include "engines/vector/hnsw_index.hpp"
#include "http/error_renderer.hpp"
#include "http/site.hpp"
#include "storage/files/file_blob_store.hpp"
#include "transport/http/beast_http_fetcher.hpp"
#include "transport/http/server.hpp"
#include "transport/mail/curl_imap_mailbox.hpp"

namespace atrium::app {

namespace {

namespace fs = std::filesystem;

void Fatal(const std::string& line) { std::fprintf(stderr, "atrium: %s\n", line.c_str()); }

// Every connection is a descriptor: lift the soft limit to the hard one.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &limit);  // best effort: the old limit still works
  }
}

core::Result<std::unique_ptr<storage::Database>> OpenDatabase(const Config& config) {
  auto opened = OpenConfiguredDatabase(config);
  if (!opened) return opened.error();
  for (const auto& name : opened->migrations.applied) spdlog::info("applied migration {}", name);
  return std::move(opened->db);
}

bool WriteReadyFile(const std::string& path, const std::vector<std::pair<std::string, std::uint16_t>>& ports) {
  std::string json = "{";
  for (std::size_t i = 0; i < ports.size(); ++i) {
    if (i > 0) json += ", ";
    json += "\"" + ports[i].first + "\": " + std::to_string(ports[i].second);
  }
  json += "}\n";
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!(out << json)) return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "unknown";
  return name;
}

// Whether `pid` names no process on this host (so a registry row of it is stale).
bool ProcessGone(std::int64_t pid) {
  if (pid <= 0 || pid == static_cast<std::int64_t>(getpid())) return false;
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

core::Result<std::unique_ptr<IdentityParts>> IdentityParts::Build(
    const Config& config, const core::persistence::Repositories& repos, const core::Clock& clock, core::Random& random,
    core::events::EventBus& events, std::unique_ptr<core::identity::LoginThrottle> throttle) {
  const std::string key_file =
      config.jwt_key_file.empty() ? (fs::path(config.data_dir) / "jwt.key").string() : config.jwt_key_file;
  auto key = core::identity::LoadSigningKey(config.jwt_secret, key_file, random);
  if (!key) return key.error();
  return std::make_unique<IdentityParts>(config, repos, clock, random, events, std::move(*key), std::move(throttle));
}

IdentityParts::IdentityParts(const Config& config, const core::persistence::Repositories& repos,
                             const core::Clock& clock, core::Random& random, core::events::EventBus& events,
                             std::string key, std::unique_ptr<core::identity::LoginThrottle> login_throttle)
    : hasher({config.argon2_memory_kib, config.argon2_iterations, 1}, random, config.max_concurrent_hashes),
      links(key),
      tokens(std::move(key), clock, random,
             {.lifetime = std::chrono::seconds(config.access_token_ttl_s),
              .issuer = config.jwt_issuer,
              .audience = config.jwt_audience}),
      throttle(login_throttle
                   ? std::move(login_throttle)
                   : std::make_unique<core::identity::InMemoryLoginThrottle>(clock, core::identity::ThrottleOptions{})),
      identity(repos, hasher, tokens, clock, random, events, *throttle, {}),
      api_keys(repos, clock, random, config.api_key_users) {}

core::Result<std::unique_ptr<storage::Database>> OpenMigratedDatabase(const Config& config) {
  return OpenDatabase(config);
}

// The command data sources configured in atrium.toml; unconfigured ones stay null.
struct CommandParts {
  CommandParts(const Config& config, const core::persistence::Repositories& repos, const core::Clock& clock,
               core::Random& random, core::net::HttpFetcher& fetcher)
      : calendar(repos, clock, random), service(Sources(config, fetcher), clock, config.zoneinfo_dir) {}

  core::commands::CommandSources Sources(const Config& config, core::net::HttpFetcher& fetcher) {
    core::commands::CommandSources s;
    if (!config.weather_forecast_url.empty() && !config.weather_geocoding_url.empty()) {
      weather = std::make_unique<core::weather::OpenMeteoWeather>(
          core::weather::OpenMeteoSettings{config.weather_forecast_url, config.weather_geocoding_url,
                                           config.weather_default_location,
                                           std::chrono::milliseconds(config.weather_timeout_ms)},
          fetcher);
      s.weather = weather.get();
    }
    if (config.calendar_enabled) s.calendar = &calendar;
    if (!config.email_imap_url.empty()) {
      mail = std::make_unique<transport::mail::CurlImapMailbox>(
          transport::mail::ImapSettings{config.email_imap_url, config.email_username, config.email_password,
                                        std::chrono::milliseconds(config.email_timeout_ms)});
      s.mail = mail.get();
    }
    return s;
  }

  core::calendar::CalendarStore calendar;
  std::unique_ptr<core::weather::OpenMeteoWeather> weather;
  std::unique_ptr<transport::mail::CurlImapMailbox> mail;
  core::commands::CommandService service;
};

int Serve(const Config& config, const ServeOptions& options) {
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  RaiseFileLimit();

  auto db = OpenDatabase(config);
  if (!db) {
    Fatal(db.error().safe_message());
    return 1;
  }

  core::SystemClock clock;
  core::SecureRandom random;
  auto stores = OpenRepositories(**db, clock, random);
  if (!stores) {
    Fatal(stores.error().safe_message());
    return 1;
  }
  const core::persistence::Repositories& repos = (*stores)->repos();
  // Refuses a second instance on this database when state would split (no Redis);
  // docs/deployment.md says how it knows.
  if (config.instance_ttl_ms <= 2 * config.instance_heartbeat_ms) {
    Fatal("instances.ttl_ms: must be more than twice instances.heartbeat_ms");
    return 1;
  }
  core::instances::InstanceRegistry registry(
      repos.transactions, repos.instances, clock,
      core::instances::Instance{core::NewUuid(random), HostName(), static_cast<std::int64_t>(getpid()),
                                !config.redis.url.empty(), {}, {}},
      {std::chrono::milliseconds(config.instance_heartbeat_ms), std::chrono::milliseconds(config.instance_ttl_ms)},
      ProcessGone);
  if (auto joined = registry.Join(); !joined) {
    Fatal("refusing to start: " + joined.error().safe_message());
    return 1;
  }
  registry.Start();
  const std::string instance_id = registry.self().id;
  spdlog::info("instance {} registered", instance_id);
  core::metrics::RequestMetrics metrics;
  core::metrics::InferenceStats inference;
  core::health::HealthService health(clock, kVersion);
  health.AddProbe(std::make_unique<core::health::DatabaseProbe>([&database = **db] { return database.Ping(); }, clock));
  health.AddProbe(std::make_unique<core::health::DirectoryProbe>("blobs", fs::path(config.data_dir) / "blobs", clock));
  transport::BeastHttpFetcher fetcher;
  const core::llm::UpstreamSettings upstream{config.llm_base_url, config.llm_api_key, config.llm_model,
                                             std::chrono::milliseconds(config.llm_timeout_ms), config.llm_ca_file};
  if (config.llm_base_url.empty()) {
    health.AddProbe(std::make_unique<core::health::UnconfiguredProbe>("inference"));
  } else {
    health.AddProbe(std::make_unique<core::llm::UpstreamProbe>(upstream, fetcher, clock));
  }
  core::llm::ModelCatalog models(upstream, fetcher, clock, std::chrono::seconds(60),
                                 {"default", config.llm_models, config.llm_pricing});
  core::llm::Gateway gateway(fetcher, clock, &inference);
  for (auto& up : GatewayUpstreams(config)) {
    const bool is_default = up.name == "default";
    gateway.AddUpstream(std::move(up), is_default ? &models : nullptr);
  }
  SpeechParts speech(config, fetcher, random);  // engines load their models on first use
  MediaParts media(config);                     // renderers prove themselves on first use
  speech.AddProbes(health, clock);
  // In process, or shared with other instances through Redis (redis.url).
  auto shared = OpenSharedState(config, clock, random);
  if (!shared) {
    Fatal(shared.error().safe_message());
    return 1;
  }
  SharedState& shared_state = **shared;
  if (auto probe = shared_state.MakeProbe(clock)) health.AddProbe(std::move(probe));
  core::events::EventBus& events = *shared_state.events;
  core::logs::ClientLogService client_logs(repos, clock, random, config.client_log_max_entries, &events);

  auto identity_parts = IdentityParts::Build(config, repos, clock, random, events, std::move(shared_state.throttle));
  if (!identity_parts) {
    Fatal(identity_parts.error().safe_message());
    return 1;
  }
  IdentityParts& id = **identity_parts;
  if (auto ensured = id.api_keys.EnsureConfiguredUsers(); !ensured) {
    Fatal("security.api_key_users: " + ensured.error().internal_message());
    return 1;
  }
  core::ratelimit::RateLimiter& limiter = *shared_state.limiter;
  dialects::DialectSettings settings{config.rate_limits, config.pisovereign_rate_limit_rpm,
                                     config.pisovereign_environment, config.data_dir, config.swagger_ui_dir};
  settings.database_bytes = StoredBytes(**db, config.data_dir);
  settings.socketio.engine.ping_interval = std::chrono::milliseconds(config.socketio_ping_interval_ms);
  settings.socketio.engine.ping_timeout = std::chrono::milliseconds(config.socketio_ping_timeout_ms);
  settings.socketio.engine.max_payload = static_cast<std::size_t>(config.socketio_max_payload);
  settings.socketio.connect_timeout = std::chrono::milliseconds(config.socketio_connect_timeout_ms);
  core::assistants::AssistantConfigService assistants(repos, clock, random);
  core::prompts::PromptTemplateService prompt_templates(repos, clock, random);
  core::audit::AuditLog audit(repos, clock, random);
  core::admin::UserAdmin user_admin(id.identity, audit);
  storage::files::FileBlobStore blobs(fs::path(config.data_dir) / "blobs");
  core::images::GatewayImageBackend image_backend(gateway);
  const bool images_on = gateway.configured() && !config.llm_image_models.empty();
  core::images::ImageService images(repos, blobs, images_on ? &image_backend : nullptr,
                                    images_on ? config.llm_image_models : std::vector<std::string>{}, clock, random);
  core::arena::ArenaService arena(repos, assistants, clock, random);
  core::analytics::UsageAnalytics analytics(repos, clock);
  core::chat::ConversationStore& conversations = repos.conversations;
  // Commits of streamed turns and background titles: off the I/O and request threads.
  core::WorkerPool chat_background(2, 4096);
  // Durable background jobs: leased to this instance, rerun elsewhere if it dies.
  core::jobs::JobRunner job_runner(repos.transactions, repos.jobs, clock, events,
                                   {.instance_id = instance_id,
                                    .workers = config.jobs_workers,
                                    .lease = std::chrono::milliseconds(config.jobs_lease_ms),
                                    .poll = std::chrono::milliseconds(config.jobs_poll_ms),
                                    .drain = std::chrono::milliseconds(config.jobs_drain_ms)});
  core::jobs::JobQueue job_queue(repos.transactions, repos.jobs, clock, random, [&job_runner] { job_runner.Wake(); });
  core::chat::JobTitleScheduler title_jobs(job_queue);
  core::chat::TitleJobHandler title_handler(conversations, gateway, events);
  core::jobs::SleepJobHandler sleep_handler(instance_id);
  // Titles are generated by the LLM: a job only when an upstream is configured.
  if (gateway.configured()) job_runner.Register(std::string(core::chat::kTitleJobKind), title_handler);
  if (config.testing_echo_routes) job_runner.Register(std::string(core::jobs::kSleepJobKind), sleep_handler);
  // Retrieval by meaning, when an embedding model is configured: vectors made by jobs,
  // searched in each user's in-memory index (built from the database on first use; a
  // large one in the background, full text answering meanwhile).
  const core::retrieval::Embedder embedder(gateway.configured() ? &gateway : nullptr, config.llm_embedding_model);
  engines::vector::HnswIndexFactory vector_factory;
  core::retrieval::SemanticIndex semantic_index(repos.embeddings, vector_factory, config.llm_embedding_model,
                                                {.background_from = 2000});
  core::retrieval::EmbeddingScheduler embedding_scheduler(job_queue, embedder);
  core::memory::MemoryService memory(repos.memories, events, clock, random,
                                     embedder.configured() ? &embedding_scheduler : nullptr);
  core::retrieval::EmbedMemoryJob embed_memory_job(memory, repos.embeddings, embedder);
  core::retrieval::EmbedMissingJob embed_missing_job(repos.embeddings, embedder);
  if (embedder.configured()) {
    job_runner.Register(std::string(core::retrieval::kEmbedMemoryJobKind), embed_memory_job);
    job_runner.Register(std::string(core::retrieval::kEmbedMissingJobKind), embed_missing_job);
    // A new model re-embeds everything; an old one fills in what earlier runs missed.
    embedding_scheduler.EmbedMissing("start:" + config.llm_embedding_model + ":" + instance_id);
  }
  // Auto-saved memories are extracted by the LLM too: only with an upstream (the
  // handler is registered below, once the retriever it compares facts with exists).
  core::memory::JobExtractionScheduler extraction_jobs(job_queue);
  core::chat::ChatService chat(conversations, gateway, events, chat_background,
                               gateway.configured() ? &title_jobs : nullptr,
                               gateway.configured() ? &extraction_jobs : nullptr);
  core::arena::ArenaChat arena_chat(arena, assistants, conversations, gateway, chat_background, random);
  core::chat::RunningTurns turns(*shared_state.turns, events, chat_background);  // a cancel stores the partial answer
  engines::exports::CairoPdfRenderer pdf_renderer;
  core::exports::ExportService exports(conversations, &pdf_renderer, id.links, clock);
  // The knowledge base: uploads checked on arrival, processed by a durable job.
  engines::documents::DocumentExtractor document_extractor;
  auto textcat = engines::documents::TextcatLanguage::Create();
  if (!textcat) spdlog::warn("documents: no language detection ({})", textcat.error().internal_message());
  const std::unique_ptr<engines::documents::TextcatLanguage> document_language =
      textcat ? std::move(textcat).value() : nullptr;
  core::documents::DocumentService documents(repos.documents, blobs, document_extractor, job_queue, clock, random);
  core::documents::ProcessDocumentJob document_job(repos.documents, blobs, document_extractor, document_language.get(),
                                                   clock, random, {}, &embedder, &embedding_scheduler);
  job_runner.Register(std::string(core::documents::kProcessJobKind), document_job);
  core::documents::DocumentSearch document_search(repos.documents, embedder.configured() ? &semantic_index : nullptr);
  const core::retrieval::Retriever retriever(memory, document_search, &embedder, &semantic_index);
  core::memory::ExtractionJobHandler extraction_handler(memory, gateway, &retriever);
  if (gateway.configured()) job_runner.Register(std::string(core::memory::kExtractionJobKind), extraction_handler);
  CommandParts command_parts(config, repos, clock, random, fetcher);
  if (command_parts.service.weather_configured() && !config.weather_default_location.empty()) {
    health.AddProbe(std::make_unique<core::health::FunctionProbe>(
        "weather",
        [&command_parts]() -> core::Result<void> {
          auto r = command_parts.service.Weather("", std::nullopt);
          if (!r) return r.error();
          return core::Ok{};
        },
        clock));
  }
  if (command_parts.service.mail_configured()) {
    health.AddProbe(std::make_unique<core::health::FunctionProbe>(
        "email",
        [&command_parts]() -> core::Result<void> {
          auto r = command_parts.service.Emails(0);
          if (!r) return r.error();
          return core::Ok{};
        },
        clock));
  }
  core::messaging::DeliveryLog deliveries(repos, clock);
  core::messaging::ChatResponder responder(chat);
  // Each allowed sender's user (an id or an email) must exist: a sender mapped to no
  // one would fail at its first message instead of at start-up.
  core::messaging::WhatsAppSettings whatsapp_settings{config.whatsapp_verify_token,
                                                      config.whatsapp_app_secret,
                                                      config.whatsapp_access_token,
                                                      config.whatsapp_phone_number_id,
                                                      config.whatsapp_api_base_url,
                                                      {},
                                                      std::chrono::milliseconds(config.whatsapp_timeout_ms)};
  for (const auto& [number, who] : config.whatsapp_allowed_senders) {
    std::optional<std::string> user_id;
    if (who.find('@') != std::string::npos) {
      if (auto found = id.identity.FindByEmail(who); found && *found) user_id = (*found)->id;
    } else if (auto user = id.identity.GetUser(who)) {
      user_id = user->id;
    }
    if (!user_id) {
      Fatal("webhooks.whatsapp.allowed_senders: '" + number + "' maps to '" + who + "', which is no user");
      return 1;
    }
    whatsapp_settings.allowed_senders.emplace(number, *user_id);
  }
  core::messaging::WhatsAppClient whatsapp(std::move(whatsapp_settings), fetcher);
  if (!config.whatsapp_verify_token.empty() || !config.whatsapp_app_secret.empty()) {
    health.AddProbe(std::make_unique<core::health::FunctionProbe>(
        "whatsapp", [&whatsapp]() -> core::Result<void> { return whatsapp.Check(); }, clock));
  }
  const CoreServices core{.clock = clock,
                          .settings = settings,
                          .health = health,
                          .metrics = metrics,
                          .inference = inference,
                          .shared_state = shared_state.stats,
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
                          .commands = command_parts.service,
                          .whatsapp = whatsapp,
                          .deliveries = deliveries,
                          .responder = responder,
                          .turns = turns,
                          .speech = speech.service(),
                          .memory = memory,
                          .exports = exports,
                          .documents = documents,
                          .retriever = retriever,
                          .media = media.service()};
  const dialects::CommonDeps common = CommonDepsOf(core);  // the echo routes' (testing.echo_routes)

  core::WorkerPool pool(static_cast<std::size_t>(config.worker_threads), config.worker_queue);
  transport::AccessLog access_log(config.access_log);
  transport::ServerOptions server_options = config.server;
  server_options.unlimited_addresses = config.trusted_proxies;  // a proxy carries many clients
  // Uploads are spooled under the data directory (same file system as the blobs, so a
  // kept upload is a rename); a previous run's leftovers are removed.
  server_options.spool_dir = (fs::path(config.data_dir) / "spool").string();
  {
    std::error_code spool_ec;
    fs::remove_all(server_options.spool_dir, spool_ec);
    fs::create_directories(server_options.spool_dir, spool_ec);
    if (spool_ec) spdlog::warn("spool directory {}: {}", server_options.spool_dir, spool_ec.message());
  }
  if (server_options.io_threads == 0) {
    server_options.io_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  transport::Server server(server_options, pool, clock, access_log);

  const http::CorsOptions cors{.allowed_origins = config.cors_origins,
                               .allow_credentials = config.cors_allow_credentials};
  const http::SiteDeps deps{metrics, clock, random};
  // The modules outlive the sites: their routes refer to the modules' Deps.
  std::vector<std::unique_ptr<dialects::Dialect>> modules;
  std::vector<std::unique_ptr<http::Site>> sites;
  for (const dialects::DialectInfo* info : kDialects) {
    const auto& dialect = config.dialects.at(std::string(info->name));
    if (!dialect.enabled) continue;
    auto module = MakeDialect(*info, core);
    if (!module) {
      Fatal(module.error().internal_message());
      return 1;
    }
    for (std::size_t i = 0; i < info->listener_count; ++i) {
      const dialects::Listener& listener = info->listeners[i];
      auto site = std::make_unique<http::Site>(std::string(listener.site_name), (*module)->MakeErrorRenderer(), cors,
                                               deps, config.default_body_limit);
      site->SetTrustedProxies(config.trusted_proxies);
      (*module)->AddRoutes(i, *site);
      if (config.testing_echo_routes && i == 0) dialects::AddEchoRoutes(*site);
      if (config.testing_echo_routes && i == 0) dialects::AddJobTestRoutes(*site, job_queue, instance_id);
      if (config.testing_echo_routes) dialects::AddSocketIoEchoRoutes(*site, common);
      server.AddSite(*site, static_cast<std::uint16_t>(
                                i == 0 ? dialect.port : dialect.extra_ports.at(std::string(listener.port_key))));
      sites.push_back(std::move(site));
    }
    modules.push_back(std::move(*module));
  }
  if (sites.empty()) {
    Fatal("dialects: every dialect is disabled; enable at least one");
    return 1;
  }

  if (auto listening = server.Listen(); !listening) {
    Fatal(listening.error().safe_message());
    return 1;
  }
  job_runner.Start();
  const auto ports = server.BoundPorts();
  for (const auto& [name, port] : ports) spdlog::info("{} listening on {}:{}", name, config.server.bind_address, port);

  server.Run([&] {
    spdlog::info("atrium {} ready ({} I/O threads, {} workers)", kVersion, server_options.io_threads,
                 config.worker_threads);
    if (options.ready_file && !WriteReadyFile(*options.ready_file, ports)) {
      spdlog::error("cannot write ready file {}", *options.ready_file);
    }
  });
  // Running jobs finish within jobs.drain_ms or go back to the queue for another
  // instance; then this instance leaves the registry.
  job_runner.Stop();
  registry.Leave();
  // Upstream requests still running are cancelled (their partial answers stored)
  // before the parts their callbacks use go away; a job handler given back above
  // then returns.
  fetcher.Stop();
  job_runner.Shutdown();
  // Request tasks may hand commits to the background pool, and both post to the
  // server's I/O loops: finish them while those loops still exist.
  pool.Shutdown();
  chat_background.Shutdown();
  spdlog::info("stopped");
  return 0;
}

int Migrate(const Config& config) {
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  auto opened = OpenConfiguredDatabase(config, /*sqlite_readers=*/1);
  if (!opened) {
    Fatal(opened.error().safe_message());
    return 1;
  }
  const auto* report = &opened->migrations;
  std::printf("schema version %d -> %d (%zu migration(s) applied)\n", report->from_version, report->to_version,
              report->applied.size());
  for (const auto& name : report->applied) std::printf("  applied %s\n", name.c_str());
  return 0;
}

}  // namespace atrium::app
