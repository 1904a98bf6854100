#include "core/assistants/sampling.hpp"

namespace atrium::core::assistants {

llm::SamplingOptions SamplingFrom(const Parameters& p) {
  llm::SamplingOptions s;
  s.temperature = p.temperature;
  s.top_p = p.top_p;
  s.max_tokens = p.max_tokens;
  s.presence_penalty = p.presence_penalty;
  s.frequency_penalty = p.frequency_penalty;
  return s;
}

}  // namespace atrium::core::assistants
