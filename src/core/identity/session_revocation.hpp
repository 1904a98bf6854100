#pragma once
// Revoked sessions as an event on the bus, so that every long-lived connection (Socket.IO
// sockets, WebSockets, SSE streams), on this instance or, once the bus is shared,
// another, closes when the session it was opened with ends. The identity service
// publishes one after each committed revocation; connections follow their user's
// topic with a SessionWatch.
//
// The event travels as events::Event{{topics::UserSessions(user_id)}, SessionsRevoked};
// EncodeRevocation and DecodeRevocation build and read it (a bus that serialises events
// uses events::EncodeEvent, which knows the type).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/events/event_bus.hpp"
#include "core/identity/sessions_revoked.hpp"
#include "core/identity/user.hpp"

namespace atrium::core::identity {

events::Event EncodeRevocation(const SessionsRevoked& revoked);
// nullopt for an event of another type.
std::optional<SessionsRevoked> DecodeRevocation(const events::Event& event);

// Follows one principal's revocations for as long as it lives. `on_revoked` runs at most
// once, on the publishing thread, when a revocation covering the principal's session
// arrives (or the subscription overflowed, which is treated alike: the connection cannot
// know what it missed). It must be quick and must not destroy the watch: post the close
// to the connection's own loop. Expiry (`Principal::expires_at`) is the connection's
// timer to keep; ExpiresIn helps.
//
// A token checked before the watch subscribed may have been revoked in between, and
// that revocation's event is then missed. So, when `still_valid` is given, the
// constructor asks it once after subscribing (on the constructing thread: it may block
// on storage, e.g. IdentityService::CheckStanding); false fires `on_revoked`
// (kSessionRevoked) from the constructor itself, still at most once in all.
class SessionWatch {
 public:
  SessionWatch(events::EventBus& bus, const Principal& who, std::function<void(RevocationCause)> on_revoked,
               const std::function<bool()>& still_valid = {});
  // Unsubscribes; when it returns, `on_revoked` is not running and will not be called.
  ~SessionWatch();
  SessionWatch(const SessionWatch&) = delete;
  SessionWatch& operator=(const SessionWatch&) = delete;

 private:
  void Drain();
  void Fire(RevocationCause cause);

  std::string session_id_;
  std::function<void(RevocationCause)> on_revoked_;
  std::atomic<bool> fired_{false};                      // the notifier and the constructor's check
  std::unique_ptr<events::Subscription> subscription_;  // last: goes first
};

// Milliseconds from `now` until the principal's token expires (0 when it has), or
// nullopt when it carries no expiry (API keys).
std::optional<std::int64_t> ExpiresInMs(const Principal& who, std::chrono::system_clock::time_point now);

}  // namespace atrium::core::identity
