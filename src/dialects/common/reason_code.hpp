#pragma once
// The snake_case codes some dialects put on the wire for the core's reasons: unamentis
// as its error body's `error` (and, upper-cased, `code`), unichat and secondbrain as the
// `code` of a chat error event. These texts are a client contract: they stay as they
// are when the core renames or regroups a Reason.

#include <string_view>

#include "core/reason.hpp"

namespace atrium::dialects {

// "token_reused" for Reason::kTokenReused; empty for Reason::kNone.
std::string_view SnakeCaseReason(core::Reason reason);

}  // namespace atrium::dialects
