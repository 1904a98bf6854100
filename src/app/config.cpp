#include "app/config.hpp"

#include "app/dialect_list.hpp"
#include "app/llm_config.hpp"
#include "core/messaging/whatsapp.hpp"

#include <arpa/inet.h>

#include <toml++/toml.h>
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>
#include <variant>

namespace atrium::app {

namespace {

using StringMap = std::map<std::string, std::string>;
using Value = std::variant<std::int64_t, bool, std::string, std::vector<std::string>, StringMap>;
enum class Type { kInt, kBool, kString, kStringList, kStringMap };

// Applies a value; returns a reason when it is out of range.
using Apply = std::function<std::optional<std::string>(Config&, const Value&)>;

struct Key {
  std::string name;
  Type type;
  Apply apply;
};

std::string TypeName(Type t) {
  switch (t) {
    case Type::kInt:
      return "an integer";
    case Type::kBool:
      return "true or false";
    case Type::kString:
      return "a string";
    case Type::kStringList:
      return "a list of strings";
    case Type::kStringMap:
      return "a table of strings";
  }
  return "a value";
}

template <class T>
Apply IntIn(std::int64_t lo, std::int64_t hi, T Config::*field) {
  return [=](Config& c, const Value& v) -> std::optional<std::string> {
    const auto n = std::get<std::int64_t>(v);
    if (n < lo || n > hi) {
      return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + " (got " + std::to_string(n) +
             ")";
    }
    c.*field = static_cast<T>(n);
    return std::nullopt;
  };
}

Apply MillisIn(std::int64_t lo, std::int64_t hi, std::chrono::milliseconds transport::ServerOptions::*field) {
  return [=](Config& c, const Value& v) -> std::optional<std::string> {
    const auto n = std::get<std::int64_t>(v);
    if (n < lo || n > hi) {
      return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + " milliseconds (got " +
             std::to_string(n) + ")";
    }
    c.server.*field = std::chrono::milliseconds(n);
    return std::nullopt;
  };
}

template <class T>
Apply ServerIntIn(std::int64_t lo, std::int64_t hi, T transport::ServerOptions::*field) {
  return [=](Config& c, const Value& v) -> std::optional<std::string> {
    const auto n = std::get<std::int64_t>(v);
    if (n < lo || n > hi) {
      return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + " (got " + std::to_string(n) +
             ")";
    }
    c.server.*field = static_cast<T>(n);
    return std::nullopt;
  };
}

Apply Bool(bool Config::*field) {
  return [=](Config& c, const Value& v) -> std::optional<std::string> {
    c.*field = std::get<bool>(v);
    return std::nullopt;
  };
}

// Port settings for a listener: "must be between 0 and 65535".
std::optional<std::string> PortValue(const Value& v, int& port) {
  const auto n = std::get<std::int64_t>(v);
  if (n < 0 || n > 65535) return "must be between 0 and 65535 (got " + std::to_string(n) + ")";
  port = static_cast<int>(n);
  return std::nullopt;
}

Apply Text(std::string Config::*field) {
  return [field](Config& c, const Value& v) -> std::optional<std::string> {
    c.*field = std::get<std::string>(v);
    return std::nullopt;
  };
}

// A URL starting with one of `schemes`, or empty (not configured).
Apply UrlOrEmpty(std::string Config::*field, std::vector<std::string> schemes) {
  return [field, schemes](Config& c, const Value& v) -> std::optional<std::string> {
    const auto& s = std::get<std::string>(v);
    bool ok = s.empty();
    for (const auto& scheme : schemes) ok = ok || (s.rfind(scheme, 0) == 0 && s.size() > scheme.size());
    if (!ok) {
      std::string list;
      for (const auto& scheme : schemes) list += (list.empty() ? "" : " or ") + scheme;
      return "'" + s + "' is not a " + list + " URL";
    }
    c.*field = s;
    return std::nullopt;
  };
}

// The command data sources, the documentation pages and the WhatsApp webhook.
void AddCommandKeys(std::vector<Key>& keys) {
  const std::vector<Key> more = {
      {"weather.forecast_url", Type::kString, UrlOrEmpty(&Config::weather_forecast_url, {"http://", "https://"})},
      {"weather.geocoding_url", Type::kString, UrlOrEmpty(&Config::weather_geocoding_url, {"http://", "https://"})},
      {"weather.default_location", Type::kString, Text(&Config::weather_default_location)},
      {"weather.timeout_ms", Type::kInt, IntIn(100, 120000, &Config::weather_timeout_ms)},
      {"calendar.enabled", Type::kBool, Bool(&Config::calendar_enabled)},
      {"email.imap_url", Type::kString, UrlOrEmpty(&Config::email_imap_url, {"imap://", "imaps://"})},
      {"email.username", Type::kString, Text(&Config::email_username)},
      {"email.password", Type::kString, Text(&Config::email_password)},
      {"email.timeout_ms", Type::kInt, IntIn(100, 120000, &Config::email_timeout_ms)},
      {"commands.zoneinfo_dir", Type::kString, Text(&Config::zoneinfo_dir)},
      {"docs.swagger_ui_dir", Type::kString, Text(&Config::swagger_ui_dir)},
      {"webhooks.whatsapp.verify_token", Type::kString, Text(&Config::whatsapp_verify_token)},
      {"webhooks.whatsapp.app_secret", Type::kString, Text(&Config::whatsapp_app_secret)},
      {"webhooks.whatsapp.access_token", Type::kString, Text(&Config::whatsapp_access_token)},
      {"webhooks.whatsapp.phone_number_id", Type::kString, Text(&Config::whatsapp_phone_number_id)},
      {"webhooks.whatsapp.api_base_url", Type::kString,
       UrlOrEmpty(&Config::whatsapp_api_base_url, {"http://", "https://"})},
      // One owner for every sender let anyone read that owner's data: each number now
      // names its own user, and an old config stops with this message.
      {"webhooks.whatsapp.user_id", Type::kString,
       [](Config&, const Value&) -> std::optional<std::string> {
         return "is no longer supported: list each sender's number with its user in "
                "[webhooks.whatsapp.allowed_senders]";
       }},
      {"webhooks.whatsapp.allowed_senders", Type::kStringMap,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         std::map<std::string, std::string> senders;
         for (const auto& [number, user] : std::get<StringMap>(v)) {
           const std::string digits = core::messaging::NormalizePhone(number);
           if (digits.empty()) return "'" + number + "' is not a phone number (7-15 digits, e.g. +4915112345678)";
           if (user.empty()) return "'" + number + "' maps to an empty user";
           if (!senders.emplace(digits, user).second) return "'" + number + "' is listed twice";
         }
         c.whatsapp_allowed_senders = std::move(senders);
         return std::nullopt;
       }},
      {"webhooks.whatsapp.timeout_ms", Type::kInt, IntIn(100, 120000, &Config::whatsapp_timeout_ms)},
  };
  keys.insert(keys.end(), more.begin(), more.end());
}

Apply OneOf(std::string Config::*field, std::vector<std::string> choices) {
  return [field, choices](Config& c, const Value& v) -> std::optional<std::string> {
    const auto& s = std::get<std::string>(v);
    std::string list;
    for (const auto& choice : choices) {
      if (s == choice) {
        c.*field = s;
        return std::nullopt;
      }
      list += (list.empty() ? "" : ", ") + choice;
    }
    return "must be one of " + list + " (got '" + s + "')";
  };
}

// The media core: where its tools are, concurrency, cache and deadlines.
void AddMediaKeys(std::vector<Key>& keys) {
  const std::vector<Key> more = {
      {"media.worker_dir", Type::kString, Text(&Config::media_worker_dir)},
      {"media.map_data_dir", Type::kString, Text(&Config::media_map_data_dir)},
      {"media.workers", Type::kInt, IntIn(1, 16, &Config::media_workers)},
      {"media.max_concurrent", Type::kInt, IntIn(1, 64, &Config::media_max_concurrent)},
      {"media.max_queue", Type::kInt, IntIn(0, 10000, &Config::media_max_queue)},
      {"media.cache_mb", Type::kInt, IntIn(0, 4096, &Config::media_cache_mb)},
      {"media.diagram_deadline_ms", Type::kInt, IntIn(100, 300000, &Config::media_diagram_deadline_ms)},
      {"media.formula_deadline_ms", Type::kInt, IntIn(100, 300000, &Config::media_formula_deadline_ms)},
      {"media.map_deadline_ms", Type::kInt, IntIn(100, 300000, &Config::media_map_deadline_ms)},
  };
  keys.insert(keys.end(), more.begin(), more.end());
}

// The speech core: engines, upstreams and limits.
void AddSpeechKeys(std::vector<Key>& keys) {
  const std::vector<Key> more = {
      {"speech.stt.engine", Type::kString, OneOf(&Config::speech_stt_engine, {"pocketsphinx", "http", "off"})},
      {"speech.stt.model_dir", Type::kString, Text(&Config::speech_stt_model_dir)},
      {"speech.stt.grammar", Type::kString, Text(&Config::speech_stt_grammar)},
      {"speech.stt.base_url", Type::kString, UrlOrEmpty(&Config::speech_stt_base_url, {"http://", "https://"})},
      {"speech.stt.api_key", Type::kString, Text(&Config::speech_stt_api_key)},
      {"speech.stt.model", Type::kString, Text(&Config::speech_stt_model)},
      {"speech.stt.timeout_ms", Type::kInt, IntIn(100, 600000, &Config::speech_stt_timeout_ms)},
      {"speech.tts.engine", Type::kString, OneOf(&Config::speech_tts_engine, {"espeak-ng", "http", "off"})},
      {"speech.tts.voice", Type::kString, Text(&Config::speech_tts_voice)},
      {"speech.tts.voices", Type::kStringList,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         c.speech_tts_voices = std::get<std::vector<std::string>>(v);
         return std::nullopt;
       }},
      {"speech.tts.rate_wpm", Type::kInt, IntIn(80, 450, &Config::speech_tts_rate_wpm)},
      {"speech.tts.base_url", Type::kString, UrlOrEmpty(&Config::speech_tts_base_url, {"http://", "https://"})},
      {"speech.tts.api_key", Type::kString, Text(&Config::speech_tts_api_key)},
      {"speech.tts.model", Type::kString, Text(&Config::speech_tts_model)},
      {"speech.tts.timeout_ms", Type::kInt, IntIn(100, 600000, &Config::speech_tts_timeout_ms)},
      {"speech.max_retries", Type::kInt, IntIn(0, 10, &Config::speech_max_retries)},
      {"speech.max_concurrent", Type::kInt, IntIn(0, 256, &Config::speech_max_concurrent)},
      {"speech.max_queue", Type::kInt, IntIn(0, 100000, &Config::speech_max_queue)},
      {"speech.max_upload_bytes", Type::kInt, IntIn(1024, 1 << 30, &Config::speech_max_upload_bytes)},
      {"speech.max_audio_seconds", Type::kInt, IntIn(1, 86400, &Config::speech_max_audio_seconds)},
      {"speech.max_text_chars", Type::kInt, IntIn(1, 1000000, &Config::speech_max_text_chars)},
      {"speech.stt.deadline_ms", Type::kInt, IntIn(100, 3600000, &Config::speech_stt_deadline_ms)},
      {"speech.tts.deadline_ms", Type::kInt, IntIn(100, 3600000, &Config::speech_tts_deadline_ms)},
  };
  keys.insert(keys.end(), more.begin(), more.end());
}

std::vector<Key> Keys() {
  std::vector<Key> keys = {
      {"server.bind", Type::kString,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         const auto& s = std::get<std::string>(v);
         unsigned char buf[16];
         if (inet_pton(AF_INET, s.c_str(), buf) != 1 && inet_pton(AF_INET6, s.c_str(), buf) != 1) {
           return "'" + s + "' is not an IPv4 or IPv6 address";
         }
         c.server.bind_address = s;
         return std::nullopt;
       }},
      {"server.io_threads", Type::kInt, ServerIntIn(0, 256, &transport::ServerOptions::io_threads)},
      {"server.max_connections", Type::kInt, ServerIntIn(1, 1000000, &transport::ServerOptions::max_connections)},
      {"server.max_header_bytes", Type::kInt, ServerIntIn(1024, 1048576, &transport::ServerOptions::max_header_bytes)},
      {"server.max_request_line_bytes", Type::kInt,
       ServerIntIn(256, 1048576, &transport::ServerOptions::max_request_line_bytes)},
      {"server.max_header_fields", Type::kInt, ServerIntIn(1, 10000, &transport::ServerOptions::max_header_fields)},
      {"server.max_connections_per_address", Type::kInt,
       ServerIntIn(0, 1000000, &transport::ServerOptions::max_connections_per_address)},
      {"server.header_timeout_ms", Type::kInt, MillisIn(100, 3600000, &transport::ServerOptions::header_timeout)},
      {"server.body_timeout_ms", Type::kInt, MillisIn(100, 3600000, &transport::ServerOptions::body_timeout)},
      {"server.upload_timeout_ms", Type::kInt, MillisIn(1000, 86400000, &transport::ServerOptions::upload_timeout)},
      {"server.write_timeout_ms", Type::kInt, MillisIn(100, 3600000, &transport::ServerOptions::write_timeout)},
      {"server.idle_timeout_ms", Type::kInt, MillisIn(100, 3600000, &transport::ServerOptions::idle_timeout)},
      {"server.shutdown_grace_ms", Type::kInt, MillisIn(0, 600000, &transport::ServerOptions::shutdown_grace)},
      {"server.worker_threads", Type::kInt, IntIn(1, 256, &Config::worker_threads)},
      {"server.worker_queue", Type::kInt, IntIn(1, 1000000, &Config::worker_queue)},
      {"server.default_body_limit", Type::kInt, IntIn(1024, 1 << 30, &Config::default_body_limit)},
      {"cors.allowed_origins", Type::kStringList,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         for (const auto& o : std::get<std::vector<std::string>>(v)) {
           if (o != "*" && o.find("://") == std::string::npos) {
             return "'" + o + "' is not an origin like https://example.com (or *)";
           }
         }
         c.cors_origins = std::get<std::vector<std::string>>(v);
         return std::nullopt;
       }},
      {"cors.allow_credentials", Type::kBool, Bool(&Config::cors_allow_credentials)},
      {"data.dir", Type::kString,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         if (std::get<std::string>(v).empty()) return "must not be empty";
         c.data_dir = std::get<std::string>(v);
         return std::nullopt;
       }},
      {"storage.url", Type::kString,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         const auto& s = std::get<std::string>(v);
         if (!s.empty() && !s.starts_with("postgresql://") && !s.starts_with("postgres://")) {
           return "must be empty (the SQLite file in data.dir) or a postgresql:// URL (got a '" +
                  s.substr(0, s.find(':')) + "' URL)";
         }
         c.storage_url = s;
         return std::nullopt;
       }},
      {"storage.pool_size", Type::kInt, IntIn(1, 256, &Config::storage_pool_size)},
      {"redis.url", Type::kString,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         const auto& s = std::get<std::string>(v);
         // Not echoed: the URL may carry a password.
         if (!s.empty() && (!s.starts_with("redis://") || s.size() == 8)) {
           return "must be empty (everything in this process) or a redis://host:port/db URL";
         }
         c.redis_url = s;
         return std::nullopt;
       }},
      {"redis.prefix", Type::kString,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         const auto& s = std::get<std::string>(v);
         if (s.empty() || s.size() > 64) return "must be 1 to 64 characters (got " + std::to_string(s.size()) + ")";
         c.redis_prefix = s;
         return std::nullopt;
       }},
      {"redis.timeout_ms", Type::kInt, IntIn(10, 60000, &Config::redis_timeout_ms)},
      {"storage.sqlite_readers", Type::kInt, IntIn(1, 64, &Config::sqlite_readers)},
      {"storage.group_commit", Type::kBool, Bool(&Config::sqlite_group_commit)},
      {"client_logs.max_entries", Type::kInt, IntIn(1, 100000000, &Config::client_log_max_entries)},
      {"log.level", Type::kString,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};
         const auto& s = std::get<std::string>(v);
         if (!kLevels.contains(s))
           return "must be one of trace, debug, info, warn, error, critical, off (got '" + s + "')";
         c.log_level = s;
         return std::nullopt;
       }},
      {"log.access_log", Type::kBool, Bool(&Config::access_log)},
      {"security.jwt_secret", Type::kString,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         const auto& s = std::get<std::string>(v);
         if (!s.empty() && s.size() < 32) return "must be at least 32 bytes (got " + std::to_string(s.size()) + ")";
         c.jwt_secret = s;
         return std::nullopt;
       }},
      {"security.jwt_key_file", Type::kString,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         c.jwt_key_file = std::get<std::string>(v);
         return std::nullopt;
       }},
      {"security.jwt_issuer", Type::kString,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         if (std::get<std::string>(v).empty()) return "must not be empty";
         c.jwt_issuer = std::get<std::string>(v);
         return std::nullopt;
       }},
      {"security.jwt_audience", Type::kString,
       [](Config& c, const Value& v) -> std::optional<std::string> {
         if (std::get<std::string>(v).empty()) return "must not be empty";
         c.jwt_audience = std::get<std::string>(v);
         return std::nullopt;
       }},
      {"security.access_token_ttl_s", Type::kInt, IntIn(1, 86400, &Config::access_token_ttl_s)},
      {"security.api_key_users", Type::kStringMap,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           for (const auto& [key, user] : std::get<StringMap>(v)) {
                                             if (key.size() < 8)
                                               return "API key '" + key.substr(0, 4) +
                                                      "...' is shorter than 8 characters";
                                             if (user.size() != 36 || user[8] != '-' || user[13] != '-' ||
                                                 user[18] != '-' || user[23] != '-') {
                                               return "user id '" + user + "' is not a UUID";
                                             }
                                           }
                                           c.api_key_users = std::get<StringMap>(v);
                                           return std::nullopt;
                                         }},
      {"security.trusted_proxies", Type::kStringList,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           for (const auto& p : std::get<std::vector<std::string>>(v)) {
                                             unsigned char buf[16];
                                             if (inet_pton(AF_INET, p.c_str(), buf) != 1 &&
                                                 inet_pton(AF_INET6, p.c_str(), buf) != 1) {
                                               return "'" + p + "' is not an IPv4 or IPv6 address";
                                             }
                                           }
                                           c.trusted_proxies = std::get<std::vector<std::string>>(v);
                                           return std::nullopt;
                                         }},
      {"security.rate_limits", Type::kBool, Bool(&Config::rate_limits)},
      {"testing.echo_routes", Type::kBool, Bool(&Config::testing_echo_routes)},
      {"redis.url", Type::kString,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           const auto& s = std::get<std::string>(v);
                                           if (!s.empty() && !s.starts_with("redis://") &&
                                               !s.starts_with("rediss://") && !s.starts_with("unix://")) {
                                             return "must be empty or a redis://, rediss:// or unix:// URL";
                                           }
                                           c.redis.url = s;
                                           return std::nullopt;
                                         }},
      {"jobs.workers", Type::kInt, IntIn(1, 64, &Config::jobs_workers)},
      {"jobs.lease_ms", Type::kInt, IntIn(300, 3600000, &Config::jobs_lease_ms)},
      {"jobs.poll_ms", Type::kInt, IntIn(10, 60000, &Config::jobs_poll_ms)},
      {"jobs.drain_ms", Type::kInt, IntIn(0, 600000, &Config::jobs_drain_ms)},
      {"instances.heartbeat_ms", Type::kInt, IntIn(50, 600000, &Config::instance_heartbeat_ms)},
      {"instances.ttl_ms", Type::kInt, IntIn(200, 3600000, &Config::instance_ttl_ms)},
      {"llm.base_url", Type::kString,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           const auto& s = std::get<std::string>(v);
                                           if (!s.empty() && s.rfind("http://", 0) != 0 &&
                                               s.rfind("https://", 0) != 0) {
                                             return "'" + s + "' is not an http:// or https:// URL";
                                           }
                                           c.llm_base_url = s;
                                           return std::nullopt;
                                         }},
      {"llm.api_key", Type::kString,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           c.llm_api_key = std::get<std::string>(v);
                                           return std::nullopt;
                                         }},
      {"llm.model", Type::kString,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           c.llm_model = std::get<std::string>(v);
                                           return std::nullopt;
                                         }},
      {"llm.timeout_ms", Type::kInt, IntIn(100, 600000, &Config::llm_timeout_ms)},
      {"llm.connect_timeout_ms", Type::kInt, IntIn(100, 600000, &Config::llm_connect_timeout_ms)},
      {"llm.first_token_timeout_ms", Type::kInt, IntIn(100, 3600000, &Config::llm_first_token_timeout_ms)},
      {"llm.idle_timeout_ms", Type::kInt, IntIn(100, 3600000, &Config::llm_idle_timeout_ms)},
      {"llm.max_concurrent", Type::kInt, IntIn(1, 100000, &Config::llm_max_concurrent)},
      {"llm.max_queue", Type::kInt, IntIn(0, 1000000, &Config::llm_max_queue)},
      {"llm.max_retries", Type::kInt, IntIn(0, 10, &Config::llm_max_retries)},
      {"llm.retry_backoff_ms", Type::kInt, IntIn(0, 60000, &Config::llm_retry_backoff_ms)},
      {"llm.models", Type::kStringList,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           c.llm_models = std::get<std::vector<std::string>>(v);
                                           return std::nullopt;
                                         }},
      {"llm.image_models", Type::kStringList,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           c.llm_image_models = std::get<std::vector<std::string>>(v);
                                           return std::nullopt;
                                         }},
      {"llm.embedding_model", Type::kString,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           c.llm_embedding_model = std::get<std::string>(v);
                                           return std::nullopt;
                                         }},
      {"llm.ca_file", Type::kString,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           c.llm_ca_file = std::get<std::string>(v);
                                           return std::nullopt;
                                         }},
      {"llm.pricing", Type::kStringMap,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           for (const auto& [model, text] : std::get<StringMap>(v)) {
                                             auto price = ParsePricing(text);
                                             if (!price)
                                               return "model '" + model + "': " + price.error().safe_message();
                                             c.llm_pricing[model] = *price;
                                           }
                                           return std::nullopt;
                                         }},
      {"security.argon2_memory_kib", Type::kInt, IntIn(19 * 1024, 4 * 1024 * 1024, &Config::argon2_memory_kib)},
      {"security.argon2_iterations", Type::kInt, IntIn(2, 20, &Config::argon2_iterations)},
      {"security.max_concurrent_hashes", Type::kInt, IntIn(1, 64, &Config::max_concurrent_hashes)},
      {"dialects.pisovereign.rate_limit_rpm", Type::kInt, IntIn(1, 1000000, &Config::pisovereign_rate_limit_rpm)},
      {"socketio.ping_interval_ms", Type::kInt, IntIn(10, 3600000, &Config::socketio_ping_interval_ms)},
      {"socketio.ping_timeout_ms", Type::kInt, IntIn(10, 3600000, &Config::socketio_ping_timeout_ms)},
      {"socketio.max_payload", Type::kInt, IntIn(1024, 100000000, &Config::socketio_max_payload)},
      {"socketio.connect_timeout_ms", Type::kInt, IntIn(10, 3600000, &Config::socketio_connect_timeout_ms)},
      {"dialects.pisovereign.environment", Type::kString,
       [](Config& c, const Value& v) -> std::
                                         optional<std::string> {
                                           c.pisovereign_environment = std::get<std::string>(v);
                                           return std::nullopt;
                                         }},
  };
  for (const dialects::DialectInfo* info : kDialects) {
    const std::string name(info->name);
    keys.push_back(
        {"dialects." + name + ".enabled", Type::kBool, [name](Config& c, const Value& v) -> std::optional<std::string> {
           c.dialects[name].enabled = std::get<bool>(v);
           return std::nullopt;
         }});
    keys.push_back({"dialects." + name + ".port", Type::kInt,
                    [name](Config& c, const Value& v) { return PortValue(v, c.dialects[name].port); }});
    for (std::size_t i = 1; i < info->listener_count; ++i) {
      const std::string key(info->listeners[i].port_key);
      keys.push_back({"dialects." + name + "." + key, Type::kInt, [name, key](Config& c, const Value& v) {
                        return PortValue(v, c.dialects[name].extra_ports[key]);
                      }});
    }
  }
  AddCommandKeys(keys);
  AddSpeechKeys(keys);
  AddMediaKeys(keys);
  return keys;
}

std::optional<Value> FromToml(const toml::node& node, Type type) {
  switch (type) {
    case Type::kInt:
      if (auto v = node.value_exact<std::int64_t>()) return Value{*v};
      return std::nullopt;
    case Type::kBool:
      if (auto v = node.value_exact<bool>()) return Value{*v};
      return std::nullopt;
    case Type::kString:
      if (auto v = node.value_exact<std::string>()) return Value{*v};
      return std::nullopt;
    case Type::kStringList: {
      const auto* arr = node.as_array();
      if (arr == nullptr) return std::nullopt;
      std::vector<std::string> out;
      for (const auto& item : *arr) {
        auto s = item.value_exact<std::string>();
        if (!s) return std::nullopt;
        out.push_back(*s);
      }
      return Value{out};
    }
    case Type::kStringMap: {
      const auto* table = node.as_table();
      if (table == nullptr) return std::nullopt;
      StringMap out;
      for (const auto& [k, item] : *table) {
        auto s = item.value_exact<std::string>();
        if (!s) return std::nullopt;
        out[std::string(k.str())] = *s;
      }
      return Value{out};
    }
  }
  return std::nullopt;
}

std::optional<Value> FromEnv(const std::string& text, Type type) {
  switch (type) {
    case Type::kInt: {
      std::int64_t n = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
      return Value{n};
    }
    case Type::kBool:
      if (text == "true" || text == "1" || text == "yes" || text == "on") return Value{true};
      if (text == "false" || text == "0" || text == "no" || text == "off") return Value{false};
      return std::nullopt;
    case Type::kString:
      return Value{text};
    case Type::kStringList: {
      std::vector<std::string> out;
      std::size_t start = 0;
      while (start <= text.size() && !text.empty()) {
        const auto comma = text.find(',', start);
        std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) out.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return Value{out};
    }
    case Type::kStringMap: {
      // key=value pairs, comma-separated; spaces around keys, values and pairs are
      // dropped (as around list items), empty pairs skipped.
      const auto trim = [](std::string s) {
        s.erase(0, s.find_first_not_of(' '));
        s.erase(s.find_last_not_of(' ') + 1);
        return s;
      };
      StringMap out;
      std::size_t start = 0;
      while (start < text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        const std::string item = trim(text.substr(start, comma - start));
        start = comma + 1;
        if (item.empty()) continue;
        const auto eq = item.find('=');
        if (eq == std::string::npos) return std::nullopt;
        std::string key = trim(item.substr(0, eq));
        if (key.empty()) return std::nullopt;
        out[std::move(key)] = trim(item.substr(eq + 1));
      }
      return Value{out};
    }
  }
  return std::nullopt;
}

// Every leaf key in the document, dotted.
void CollectLeaves(const toml::table& table, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [k, node] : table) {
    const std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    // Tables whose keys are data, not settings, are leaves.
    if (const auto* sub = node.as_table(); sub && name != "security.api_key_users" && name != "llm.pricing" &&
                                           name != "llm.upstreams" && name != "webhooks.whatsapp.allowed_senders") {
      CollectLeaves(*sub, name, out);
    } else {
      out.push_back(name);
    }
  }
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// NUL bytes would cut a path or address short where C APIs read it; newlines would
// break the one-line error promise.
bool HasControlCharacters(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return HasControl(*s);
  if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
    return std::any_of(list->begin(), list->end(), [](const std::string& s) { return HasControl(s); });
  }
  if (const auto* map = std::get_if<StringMap>(&v)) {
    return std::any_of(map->begin(), map->end(),
                       [](const auto& kv) { return HasControl(kv.first) || HasControl(kv.second); });
  }
  return false;
}

core::Error ConfigError(const std::string& key, const std::string& reason) {
  return core::Error(core::ErrorCode::kInvalidArgument, key + ": " + reason);
}

}  // namespace

std::string EnvName(std::string_view dotted_key) {
  std::string out = "ATRIUM_";
  for (const char c : dotted_key) {
    out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

core::Result<Config> LoadConfig(const ConfigSources& sources) {
  Config config;
  config.server.io_threads = 0;  // one per core, decided at start-up
  for (const dialects::DialectInfo* info : kDialects) {
    DialectConfig& d = config.dialects[std::string(info->name)];
    d.port = info->main().default_port;
    for (std::size_t i = 1; i < info->listener_count; ++i) {
      d.extra_ports[std::string(info->listeners[i].port_key)] = info->listeners[i].default_port;
    }
  }
  const auto keys = Keys();

  toml::table doc;
  if (sources.file_path) {
    std::error_code ec;
    if (!std::filesystem::exists(*sources.file_path, ec)) {
      return ConfigError("config", "file '" + *sources.file_path + "' does not exist");
    }
    try {
      doc = toml::parse_file(*sources.file_path);
    } catch (const toml::parse_error& e) {
      return ConfigError("config", "'" + *sources.file_path + "' line " + std::to_string(e.source().begin.line) + ": " +
                                       std::string(e.description()));
    }
    std::vector<std::string> leaves;
    CollectLeaves(doc, "", leaves);
    for (const auto& leaf : leaves) {
      const bool known = leaf == "llm.upstreams" ||
                         std::any_of(keys.begin(), keys.end(), [&](const Key& k) { return k.name == leaf; });
      if (!known) return ConfigError(leaf, "unknown setting");
    }
  }

  for (const auto& key : keys) {
    std::optional<Value> value;
    if (sources.env) {
      if (auto text = sources.env(EnvName(key.name))) {
        value = FromEnv(*text, key.type);
        if (!value) {
          // Never echo secrets back: name the variable, show the value only for plain settings.
          const bool secret = key.name.rfind("security.", 0) == 0 || key.name == "llm.api_key";
          return ConfigError(key.name, "must be " + TypeName(key.type) + " (" + EnvName(key.name) +
                                           (secret ? ")" : "='" + *text + "')"));
        }
      }
    }
    if (!value) {
      if (const auto* node = doc.at_path(key.name).node()) {
        value = FromToml(*node, key.type);
        if (!value) return ConfigError(key.name, "must be " + TypeName(key.type));
      }
    }
    if (!value) continue;
    if (HasControlCharacters(*value)) return ConfigError(key.name, "must not contain control characters");
    if (auto reason = key.apply(config, *value)) return ConfigError(key.name, *reason);
  }

  if (const auto* upstreams = doc.at_path("llm.upstreams").node()) {
    if (auto loaded = LoadUpstreams(*upstreams, config, sources.env); !loaded) return loaded.error();
  }

  // An HTTP speech engine needs its upstream.
  if (config.speech_stt_engine == "http" && config.speech_stt_base_url.empty()) {
    return ConfigError("speech.stt.base_url", "is required when speech.stt.engine is http");
  }
  if (config.speech_tts_engine == "http" && config.speech_tts_base_url.empty()) {
    return ConfigError("speech.tts.base_url", "is required when speech.tts.engine is http");
  }

  // Two enabled dialects cannot share a fixed port.
  std::map<int, std::string> used;
  for (const dialects::DialectInfo* info : kDialects) {
    const std::string name(info->name);
    const auto& d = config.dialects[name];
    if (!d.enabled || d.port == 0) continue;
    if (auto it = used.find(d.port); it != used.end()) {
      return ConfigError("dialects." + name + ".port",
                         std::to_string(d.port) + " is already used by dialects." + it->second);
    }
    used[d.port] = name;
  }
  // A dialect's further listeners (secondbrain's socket_port) cannot take a dialect's port.
  for (const dialects::DialectInfo* info : kDialects) {
    const std::string name(info->name);
    const auto& d = config.dialects[name];
    if (!d.enabled) continue;
    for (const auto& [key, port] : d.extra_ports) {
      if (port == 0) continue;
      if (auto it = used.find(port); it != used.end()) {
        return ConfigError("dialects." + name + "." + key,
                           std::to_string(port) + " is already used by dialects." + it->second);
      }
    }
  }
  return config;
}

}  // namespace atrium::app
