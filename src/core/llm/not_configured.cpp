#include "core/llm/not_configured.hpp"

namespace atrium::core::llm {

Error NotConfiguredError() {
  return Error(ErrorCode::kUnavailable, "No LLM upstream is configured").WithReason("llm_not_configured");
}

}  // namespace atrium::core::llm
