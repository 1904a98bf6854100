#pragma once
// What a check against shared state (a rate limit, a login lock, the running-turn
// registry) decides when that state cannot be read: a store shared by several
// instances may be unreachable, and every caller must say which way it then errs.

namespace atrium::core {

enum class FailMode {
  kOpen,    // the check passes: availability wins (the request goes ahead)
  kClosed,  // the check refuses: protection wins (the request is answered "unavailable")
};

}  // namespace atrium::core
