#pragma once
// The one "no LLM configured" failure. A gateway or catalog with no upstream answers
// every call with it (503 in every dialect), so a server without [llm] still serves
// its chat routes and no dialect checks for a missing gateway.

#include "core/result.hpp"

namespace atrium::core::llm {

// kUnavailable, "No LLM upstream is configured", reason "llm_not_configured".
Error NotConfiguredError();

}  // namespace atrium::core::llm
