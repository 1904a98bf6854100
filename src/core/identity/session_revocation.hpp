#pragma once
// Revoked sessions as an event on the bus, so that every long-lived connection (Socket.IO
// sockets, WebSockets, SSE streams), on this instance or, once the bus is shared,
// another, closes when the session it was opened with ends. The identity service
// publishes one after each committed revocation; connections follow their user's
// topic with a SessionWatch.
//
// The event travels as events::Event{topics::UserSessions(user_id),
// SessionsRevoked::kType, <JSON>}; EncodeRevocation and DecodeRevocation are the only
// code that knows that JSON, so a bus that serialises events carries it unchanged.

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
#include "core/identity/user.hpp"

namespace atrium::core::identity {

// Why sessions were revoked; transports may say it in their close reason.
enum class RevocationCause {
  kLogout,           // the user signed out (one device or all)
  kPasswordChanged,  // every session but the one that changed it
  kDeviceRemoved,    // the device's sessions
  kSessionRevoked,   // the user ended one of their sessions
  kTokenReused,      // a spent refresh token came back: its family is revoked
  kAccountInactive,  // banned or disabled by an administrator
};

std::string_view RevocationCauseName(RevocationCause cause);

struct SessionsRevoked {
  static constexpr std::string_view kType = "identity.sessions_revoked";

  enum class Scope {
    kSessions,   // exactly `session_ids`
    kAll,        // every session of the user, API-key principals included
    kAllExcept,  // every session but `session_ids` (the one kept)
  };

  std::string user_id;
  Scope scope = Scope::kSessions;
  std::vector<std::string> session_ids;
  RevocationCause cause = RevocationCause::kLogout;

  // Whether a connection opened with `session_id` (empty for API keys) must close.
  bool Covers(std::string_view session_id) const;

  bool operator==(const SessionsRevoked&) const = default;
};

events::Event EncodeRevocation(const SessionsRevoked& revoked);
// nullopt for another type, or a payload that is not a well-formed revocation.
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
