#include "app/llm_config.hpp"

#include <charconv>
#include <set>

namespace atrium::app {

namespace {

core::Error Bad(const std::string& key, const std::string& reason) {
  return core::Error(core::ErrorCode::kInvalidArgument, key + ": " + reason);
}

bool NameOk(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

core::Result<core::llm::ModelPricing> ParsePricing(std::string_view text) {
  double values[2] = {0, 0};
  std::size_t at = 0;
  for (int i = 0; i < 2; ++i) {
    while (at < text.size() && text[at] == ' ') ++at;
    const auto* begin = text.data() + at;
    const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), values[i]);
    if (ec != std::errc() || end == begin || values[i] < 0 || values[i] > 1e6) {
      return core::Error(
          core::ErrorCode::kInvalidArgument,
          "must be \"<prompt> <completion>\" in USD per million tokens (got '" + std::string(text) + "')");
    }
    at = static_cast<std::size_t>(end - text.data());
  }
  while (at < text.size() && text[at] == ' ') ++at;
  if (at != text.size()) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "must be \"<prompt> <completion>\" in USD per million tokens (got '" + std::string(text) + "')");
  }
  return core::llm::ModelPricing{values[0] / 1e6, values[1] / 1e6};
}

core::Result<void> LoadUpstreams(const toml::node& node, Config& config,
                                 const std::function<std::optional<std::string>(const std::string&)>& env) {
  const auto* table = node.as_table();
  if (table == nullptr) return Bad("llm.upstreams", "must be a table of [llm.upstreams.<name>] tables");
  static const std::set<std::string> kKeys = {"base_url",
                                              "api_key",
                                              "api_key_env",
                                              "model",
                                              "models",
                                              "timeout_ms",
                                              "connect_timeout_ms",
                                              "first_token_timeout_ms",
                                              "idle_timeout_ms",
                                              "max_concurrent",
                                              "max_queue",
                                              "max_retries",
                                              "retry_backoff_ms",
                                              "ca_file",
                                              "pricing"};
  for (const auto& [key, value] : *table) {
    const std::string name(key.str());
    const std::string prefix = "llm.upstreams." + name;
    if (!NameOk(name)) return Bad(prefix, "upstream names are 1-64 letters, digits, '-' or '_'");
    if (name == "default") return Bad(prefix, "'default' is the upstream of the llm.* keys; pick another name");
    const auto* up = value.as_table();
    if (up == nullptr) return Bad(prefix, "must be a table");
    core::llm::UpstreamConfig c;
    c.name = name;
    for (const auto& [k, v] : *up) {
      if (!kKeys.contains(std::string(k.str()))) return Bad(prefix + "." + std::string(k.str()), "unknown setting");
    }
    auto text = [&](const char* k, std::string& out) -> core::Result<void> {
      if (const auto* n = up->get(k)) {
        auto s = n->value_exact<std::string>();
        if (!s) return Bad(prefix + "." + k, "must be a string");
        for (const char ch : *s) {
          if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
            return Bad(prefix + "." + k, "must not contain control characters");
          }
        }
        out = *s;
      }
      return core::Ok{};
    };
    auto millis = [&](const char* k, std::int64_t lo, std::int64_t hi,
                      std::chrono::milliseconds& out) -> core::Result<void> {
      if (const auto* n = up->get(k)) {
        auto i = n->value_exact<std::int64_t>();
        if (!i) return Bad(prefix + "." + k, "must be an integer");
        if (*i < lo || *i > hi) {
          return Bad(prefix + "." + k, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                                           " (got " + std::to_string(*i) + ")");
        }
        out = std::chrono::milliseconds(*i);
      }
      return core::Ok{};
    };
    auto count = [&](const char* k, std::int64_t lo, std::int64_t hi, auto& out) -> core::Result<void> {
      std::chrono::milliseconds m(static_cast<std::int64_t>(out));
      if (auto r = millis(k, lo, hi, m); !r) return r;
      out = static_cast<std::remove_reference_t<decltype(out)>>(m.count());
      return core::Ok{};
    };
    std::string key_env;
    for (auto r :
         {text("base_url", c.settings.base_url), text("api_key", c.settings.api_key), text("api_key_env", key_env),
          text("model", c.settings.model), text("ca_file", c.ca_file),
          millis("timeout_ms", 100, 600000, c.settings.timeout),
          millis("connect_timeout_ms", 100, 600000, c.connect_timeout),
          millis("first_token_timeout_ms", 100, 3600000, c.first_token_timeout),
          millis("idle_timeout_ms", 100, 3600000, c.idle_timeout),
          millis("retry_backoff_ms", 0, 60000, c.retry_backoff), count("max_concurrent", 1, 100000, c.max_concurrent),
          count("max_queue", 0, 1000000, c.max_queue), count("max_retries", 0, 10, c.max_retries)}) {
      if (!r) return r;
    }
    if (c.settings.base_url.rfind("http://", 0) != 0 && c.settings.base_url.rfind("https://", 0) != 0) {
      return Bad(prefix + ".base_url", "must be an http:// or https:// URL");
    }
    if (!key_env.empty()) {
      auto secret = env ? env(key_env) : std::nullopt;
      if (!secret) return Bad(prefix + ".api_key_env", "environment variable " + key_env + " is not set");
      c.settings.api_key = *secret;
    }
    if (const auto* models = up->get("models")) {
      const auto* arr = models->as_array();
      if (arr == nullptr) return Bad(prefix + ".models", "must be a list of strings");
      for (const auto& m : *arr) {
        auto s = m.value_exact<std::string>();
        if (!s || s->empty()) return Bad(prefix + ".models", "must be a list of strings");
        c.models.push_back(*s);
      }
    }
    if (const auto* pricing = up->get("pricing")) {
      const auto* t = pricing->as_table();
      if (t == nullptr) return Bad(prefix + ".pricing", "must be a table of \"model\" = \"<prompt> <completion>\"");
      for (const auto& [model, price] : *t) {
        auto s = price.value_exact<std::string>();
        if (!s) return Bad(prefix + ".pricing." + std::string(model.str()), "must be a string");
        auto p = ParsePricing(*s);
        if (!p) return Bad(prefix + ".pricing." + std::string(model.str()), p.error().safe_message());
        c.pricing[std::string(model.str())] = *p;
      }
    }
    c.settings.ca_file = c.ca_file;
    config.llm_upstreams.push_back(std::move(c));
  }
  return core::Ok{};
}

std::vector<core::llm::UpstreamConfig> GatewayUpstreams(const Config& config) {
  std::vector<core::llm::UpstreamConfig> out;
  if (!config.llm_base_url.empty()) {
    core::llm::UpstreamConfig c;
    c.name = "default";
    c.settings = {config.llm_base_url, config.llm_api_key, config.llm_model,
                  std::chrono::milliseconds(config.llm_timeout_ms), config.llm_ca_file};
    c.models = config.llm_models;
    c.pricing = config.llm_pricing;
    c.connect_timeout = std::chrono::milliseconds(config.llm_connect_timeout_ms);
    c.first_token_timeout = std::chrono::milliseconds(config.llm_first_token_timeout_ms);
    c.idle_timeout = std::chrono::milliseconds(config.llm_idle_timeout_ms);
    c.max_concurrent = static_cast<std::size_t>(config.llm_max_concurrent);
    c.max_queue = static_cast<std::size_t>(config.llm_max_queue);
    c.max_retries = config.llm_max_retries;
    c.retry_backoff = std::chrono::milliseconds(config.llm_retry_backoff_ms);
    c.ca_file = config.llm_ca_file;
    out.push_back(std::move(c));
  }
  for (const auto& c : config.llm_upstreams) out.push_back(c);
  return out;
}

}  // namespace atrium::app
