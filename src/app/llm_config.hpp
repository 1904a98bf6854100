#pragma once
// The LLM parts of the configuration that do not fit flat keys: per-model prices and
// the [llm.upstreams.<name>] tables, and the gateway's list of upstreams built from
// them and from the llm.* keys (the "default" upstream).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "app/config.hpp"

namespace atrium::app {

// "<prompt> <completion>": USD per million tokens, e.g. "0.5 1.5".
core::Result<core::llm::ModelPricing> ParsePricing(std::string_view text);

// Reads the [llm.upstreams.<name>] tables into config.llm_upstreams. `env` resolves
// an upstream's api_key_env. Errors are one line naming the key.
core::Result<void> LoadUpstreams(const toml::node& node, Config& config,
                                 const std::function<std::optional<std::string>(const std::string&)>& env = {});

// The default upstream (when llm.base_url is set) followed by the named ones.
std::vector<core::llm::UpstreamConfig> GatewayUpstreams(const Config& config);

}  // namespace atrium::app
