#pragma once
// Atrium's configuration: typed, validated once at start-up, immutable afterwards.
// Sources, later ones winning: built-in defaults, the TOML file, ATRIUM_* environment
// variables (the dotted key upper-cased with '.' as '_': server.io_threads is
// ATRIUM_SERVER_IO_THREADS; lists in the environment are comma-separated).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/llm/upstream_config.hpp"
#include "core/result.hpp"
#include "transport/http/server_options.hpp"

namespace atrium::app {

// [dialects.<name>]: one section per dialect of app/dialect_list.hpp.
struct DialectConfig {
  bool enabled = true;
  int port = 0;  // its main listener
  // Further listeners by port key (dialects.secondbrain.socket_port: its Socket.IO site).
  std::map<std::string, int> extra_ports;
};

// [redis]: shared state between instances. Only the key is read here (the start-up
// check of app/instance_check.cpp asks whether it is set).
struct RedisConfig {
  std::string url;  // redis.url; empty: rate limits and the event bus stay in process
};

struct Config {
  transport::ServerOptions server;
  int worker_threads = 4;
  std::size_t worker_queue = 1024;
  std::size_t default_body_limit = 64 * 1024;

  std::vector<std::string> cors_origins;
  bool cors_allow_credentials = true;

  std::string data_dir = "./data";
  // The database: empty is the SQLite file <data_dir>/atrium.db; postgresql://... (or
  // postgres://...) is a PostgreSQL server, with `storage_pool_size` connections at most.
  std::string storage_url;
  int storage_pool_size = 8;
  int sqlite_readers = 2;
  // State shared with other instances (redis.*): with a URL (redis://host:port/db) the
  // event bus, rate limits, login lockout and running-turn registry live in that Redis
  // server; empty keeps all of them in this process.
  std::string redis_url;
  std::string redis_prefix = "atrium:";  // every key and channel starts with it
  int redis_timeout_ms = 500;            // connect, and each command's wait for its reply
  bool sqlite_group_commit = true;  // concurrent writes share one COMMIT (fsync)
  std::int64_t client_log_max_entries = 100000;

  // Identity and access.
  std::string jwt_secret;                            // 32+ bytes; empty: the key file is used
  std::string jwt_key_file;                          // empty: <data_dir>/jwt.key, created on first start
  std::string jwt_issuer = "atrium";                 // access tokens' iss, required on verification
  std::string jwt_audience = "atrium";               // access tokens' aud, required on verification
  int access_token_ttl_s = 900;                      // access tokens' lifetime
  std::map<std::string, std::string> api_key_users;  // API key -> user id
  std::vector<std::string> trusted_proxies;
  bool rate_limits = true;
  int pisovereign_rate_limit_rpm = 60;
  std::string pisovereign_environment = "production";
  std::uint32_t argon2_memory_kib = 19 * 1024;
  std::uint32_t argon2_iterations = 2;
  int max_concurrent_hashes = 2;

  // One OpenAI-compatible upstream (llm.*; ATRIUM_LLM_BASE_URL etc. without a file).
  std::string llm_base_url;
  std::string llm_api_key;
  std::string llm_model;
  int llm_timeout_ms = 3000;
  // The gateway's use of that upstream (llm.*), and any further upstreams
  // ([llm.upstreams.<name>] tables, see docs/configuration.md).
  int llm_connect_timeout_ms = 5000;
  int llm_first_token_timeout_ms = 120000;
  int llm_idle_timeout_ms = 60000;
  int llm_max_concurrent = 16;
  int llm_max_queue = 64;
  int llm_max_retries = 2;
  int llm_retry_backoff_ms = 200;
  std::vector<std::string> llm_models;        // empty: discovered
  std::vector<std::string> llm_image_models;  // offered by unichat's image generation
  std::string llm_embedding_model;            // retrieval by meaning (documents, memories); empty: full text only
  std::map<std::string, core::llm::ModelPricing> llm_pricing;
  std::string llm_ca_file;
  std::vector<core::llm::UpstreamConfig> llm_upstreams;

  bool testing_echo_routes = false;  // testing.echo_routes: protocol-test endpoints

  RedisConfig redis;

  // Durable background jobs (core/jobs) and the instance registry (core/instances).
  int jobs_workers = 2;         // jobs.workers: handler threads of this instance
  int jobs_lease_ms = 30000;    // jobs.lease_ms: a dead instance's jobs run again after this
  int jobs_poll_ms = 1000;      // jobs.poll_ms: how often to look for jobs enqueued elsewhere
  int jobs_drain_ms = 10000;    // jobs.drain_ms: shutdown's wait for running jobs
  int instance_heartbeat_ms = 3000;  // instances.heartbeat_ms
  int instance_ttl_ms = 15000;       // instances.ttl_ms: a row older than this is a dead instance

  // Socket.IO (unichat, secondbrain): the reference server's defaults.
  int socketio_ping_interval_ms = 25000;
  int socketio_ping_timeout_ms = 20000;
  std::int64_t socketio_max_payload = 1000000;
  int socketio_connect_timeout_ms = 45000;

  std::string log_level = "info";
  bool access_log = true;

  // Keyed by dialect name (app/dialect_list.hpp), each with its defaults.
  std::map<std::string, DialectConfig> dialects;

  // Command data sources (pisovereign's /v1/commands). Empty URLs: not configured.
  std::string weather_forecast_url;  // weather.forecast_url, Open-Meteo-compatible
  std::string weather_geocoding_url;
  std::string weather_default_location;
  int weather_timeout_ms = 5000;
  bool calendar_enabled = true;  // Atrium's own calendar store
  std::string email_imap_url;    // email.imap_url: imap://host:port/INBOX (imaps:// with TLS)
  std::string email_username;
  std::string email_password;
  int email_timeout_ms = 10000;
  std::string zoneinfo_dir = "/usr/share/zoneinfo";                                   // commands.zoneinfo_dir
  std::string swagger_ui_dir = "/usr/lib/python3/dist-packages/flasgger/ui3/static";  // docs.swagger_ui_dir

  // Speech (core/speech, engines in src/engines): which engine and its limits.
  std::string speech_stt_engine = "pocketsphinx";  // speech.stt.engine: pocketsphinx | http | off
  std::string speech_stt_model_dir = "/usr/share/pocketsphinx/model/en-us";
  std::string speech_stt_grammar;  // speech.stt.grammar: a JSGF file; empty: the open language model
  std::string speech_stt_base_url;  // speech.stt.base_url (http): an OpenAI-compatible /v1
  std::string speech_stt_api_key;
  std::string speech_stt_model = "whisper-1";
  int speech_stt_timeout_ms = 120000;
  std::string speech_tts_engine = "espeak-ng";  // speech.tts.engine: espeak-ng | http | off
  std::string speech_tts_voice;                 // empty: en-us (espeak-ng), alloy (http)
  std::vector<std::string> speech_tts_voices;   // http: the voices offered
  int speech_tts_rate_wpm = 175;
  std::string speech_tts_base_url;
  std::string speech_tts_api_key;
  std::string speech_tts_model = "tts-1";
  int speech_tts_timeout_ms = 60000;
  int speech_max_retries = 2;
  int speech_max_concurrent = 0;  // jobs at once; 0: one per CPU core
  int speech_max_queue = 16;
  int speech_max_upload_bytes = 25 * 1024 * 1024;
  int speech_max_audio_seconds = 600;
  int speech_max_text_chars = 5000;
  int speech_stt_deadline_ms = 120000;
  int speech_tts_deadline_ms = 60000;

  // The media core ([media]): renderers of diagrams, formulas and maps.
  std::string media_worker_dir;    // media.worker_dir: tools/media-worker (Mermaid, MathJax); empty: found
  std::string media_map_data_dir;  // media.map_data_dir: world-atlas's TopoJSON; empty: found
  int media_workers = 1;           // media.workers: Node workers (each keeps one browser page)
  int media_max_concurrent = 2;    // media.max_concurrent: renders at once
  int media_max_queue = 16;
  int media_cache_mb = 32;
  int media_diagram_deadline_ms = 15000;
  int media_formula_deadline_ms = 5000;
  int media_map_deadline_ms = 15000;

  // WhatsApp Cloud API ([webhooks.whatsapp]); empty verify_token/app_secret: webhook off.
  std::string whatsapp_verify_token;
  std::string whatsapp_app_secret;
  std::string whatsapp_access_token;
  std::string whatsapp_phone_number_id;
  std::string whatsapp_api_base_url;
  // webhooks.whatsapp.allowed_senders: phone number (digits only) -> Atrium user id or
  // email, resolved at start-up. A number not listed is refused.
  std::map<std::string, std::string> whatsapp_allowed_senders;
  int whatsapp_timeout_ms = 10000;
};

// Where a configuration's text comes from: the file (may be absent) and a lookup of
// environment variables (injected so tests need not touch the process environment).
struct ConfigSources {
  std::optional<std::string> file_path;
  std::function<std::optional<std::string>(const std::string&)> env;
};

// Loads and validates. The error's message is one line naming the key and the reason,
// e.g. "server.io_threads: must be between 0 and 256 (got 999)".
core::Result<Config> LoadConfig(const ConfigSources& sources);

// The environment variable name for a dotted key.
std::string EnvName(std::string_view dotted_key);

}  // namespace atrium::app
