#pragma once
// An assistant configuration's parameters as the sampling of a generation request:
// what every chat that names a config (unichat's chat and arena) sends upstream.

#include "core/assistants/assistant_config.hpp"
#include "core/llm/generation.hpp"

namespace atrium::core::assistants {

llm::SamplingOptions SamplingFrom(const Parameters& parameters);

}  // namespace atrium::core::assistants
