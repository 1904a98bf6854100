#pragma once
// A streamed chat turn answered over HTTP, for every dialect that streams chat: start
// the turn and return; the transport then waits (holding no worker thread) until the
// upstream accepted it, so that failures before the first byte get a real status, and
// the turn's events are relayed as the dialect's frames. Frames produced before the client's stream opens are held
// (bounded); a client that leaves, or cannot keep up, cancels the turn, whose partial
// answer is then stored once.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/chat/chat_service.hpp"
#include "core/events/event_bus.hpp"
#include "core/identity/user.hpp"
#include "dialects/common/deps.hpp"
#include "http/handler.hpp"

namespace atrium::dialects {

// The frames for one event (kStarted, kDelta, kDone, or kError after the stream
// opened). Called one event at a time, never concurrently; may keep state.
using TurnFramer = std::function<std::vector<std::string>(const core::chat::ChatEvent& event)>;
using TurnStarter = std::function<core::Result<std::shared_ptr<core::chat::ChatTurn>>(core::chat::ChatSink sink)>;

struct TurnStreamOptions {
  std::string content_type = "text/event-stream; charset=utf-8";
  // How long to wait for the upstream to accept the request (a slot, retries, its
  // answer's header); then the turn is abandoned (nothing stored) and answered 503.
  std::chrono::milliseconds wait_for_start = std::chrono::minutes(5);
  // Adds headers once the turn is known (e.g. its conversation id).
  std::function<void(const core::chat::ChatTurn&, http::Response&)> decorate;
  std::chrono::milliseconds heartbeat_interval{15000};
  // The stream's session (EndWithSession sets all four). With `revocations` and
  // `session`, the stream ends and its turn is cancelled (the upstream request with it)
  // as soon as the session is revoked (a SessionsRevoked on `revocations`). The watch is
  // subscribed before StreamTurn returns and `still_valid` is then asked once, on the
  // handler's thread, so a revocation between the token check and the subscription is
  // not missed. With `end_after`, the stream ends (and the turn is cancelled) that long
  // after it opened: the access token's expiry.
  core::events::EventBus* revocations = nullptr;
  std::optional<core::identity::Principal> session;
  std::function<bool()> still_valid;
  std::optional<std::chrono::milliseconds> end_after;
};

// Ends the stream with `who`'s session: at its revocation and at its token's `exp`
// (API-key principals have none: no deadline). Call on the handler's worker thread.
void EndWithSession(TurnStreamOptions& options, const CommonDeps& services, const core::identity::Principal& who);

// `error` renders core failures (the turn's, or starting it) in the dialect's terms.
http::Reply StreamTurn(const TurnStarter& start, TurnFramer framer,
                       const std::function<http::ApiError(const core::Error&)>& error, TurnStreamOptions options = {});

}  // namespace atrium::dialects
