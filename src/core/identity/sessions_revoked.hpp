#pragma once
// SessionsRevoked: the event the identity service publishes after each committed
// revocation (see session_revocation.hpp for who follows it). Plain data, so the bus's
// payload list can name it without the bus depending on identity.

#include <string>
#include <string_view>
#include <vector>

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

}  // namespace atrium::core::identity
