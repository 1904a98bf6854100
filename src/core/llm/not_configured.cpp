#include "core/llm/not_configured.hpp"

namespace atrium::core::llm {

Error NotConfiguredError() {
  return Error(ErrorCode::kUnavailable, "No LLM upstream is configured").WithReason(Reason::kLlmNotConfigured);
}

}  // namespace atrium::core::llm
