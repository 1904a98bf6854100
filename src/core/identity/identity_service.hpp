#pragma once
// One account system behind every dialect's auth: registration, login, token refresh
// with rotation and reuse detection, logout, devices and sessions, profile updates.
// Every call blocks (database, Argon2): run it on a worker thread.
//
// Every revocation (logout, password change, device or session removal, refresh-token
// reuse, a ban or deactivation) is published on `events` as a SessionsRevoked once it
// has committed, so open connections of those sessions close (session_revocation.hpp).
//
// Errors carry a neutral code and a reason the dialects map to their own codes:
//   kInvalidArgument: invalid_email, weak_password, missing_credentials
//   kAlreadyExists:   email_exists, username_exists
//   kUnauthenticated: invalid_credentials, account_inactive, account_locked,
//                     invalid_token, token_expired, token_reused, session_revoked
//   kPermissionDenied: account_banned
//   kNotFound:        user_not_found, device_not_found, session_not_found

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/events/event_bus.hpp"
#include "core/identity/access_tokens.hpp"
#include "core/identity/login_throttle.hpp"
#include "core/identity/password_hasher.hpp"
#include "core/identity/password_policy.hpp"
#include "core/identity/session_revocation.hpp"
#include "core/identity/session_repository.hpp"
#include "core/identity/user.hpp"
#include "core/identity/user_repository.hpp"
#include "core/persistence/repositories.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "core/random.hpp"
#include "core/result.hpp"

namespace atrium::core::identity {

struct ClientContext {
  std::string ip_address;
  std::string user_agent;
  std::optional<DeviceInfo> device;
};

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_in = 0;
};

struct AuthResult {
  User user;
  std::string session_id;
  std::optional<Device> device;
  TokenPair tokens;
};

struct NewUser {
  std::string email;
  std::optional<std::string> username;
  std::string display_name;
  std::string password;
  Role role = Role::kUser;
};

// Profile fields to change; unset fields stay as they are.
struct ProfileUpdate {
  std::optional<std::string> email;
  std::optional<std::string> username;
  std::optional<std::string> display_name;
  std::optional<std::optional<std::string>> avatar_url;  // set to nullopt to clear
  std::optional<std::string> bio;
  std::optional<std::string> locale;
  std::optional<std::string> timezone;
  std::optional<std::string> settings_json;
  std::optional<std::string> preferences_json;
};

struct IdentityOptions {
  std::chrono::seconds refresh_lifetime{30 * 24 * 3600};
};

class IdentityService {
 public:
  IdentityService(const persistence::Repositories& repos, PasswordHasher& hasher, AccessTokenCodec& tokens, const Clock& clock,
                  Random& random, events::EventBus& events, LoginThrottle& throttle, IdentityOptions options);

  // Creates the account; with `sign_in`, also a session and tokens.
  Result<AuthResult> Register(const NewUser& user, const PasswordPolicy& policy, const ClientContext& client,
                              bool sign_in);
  Result<AuthResult> Login(const std::string& email, const std::string& password, const ClientContext& client);
  // Rotates: the presented token is spent and a new pair is issued in the same family.
  Result<TokenPair> Refresh(const std::string& refresh_token);

  // For clients that keep one refresh token (unichat's spec): checks it like Refresh but
  // issues only a new access token and leaves the refresh token valid. A token already
  // rotated away through Refresh still counts as reuse and revokes its family.
  Result<IssuedToken> RefreshAccessOnly(const std::string& refresh_token);

  // Verifies an access token and that its session and user are still in good standing.
  Result<Principal> Authenticate(std::string_view access_token);
  // Whether an authenticated principal is still in good standing: its session not
  // revoked (none for API keys) and its user active. The errors are Authenticate's
  // (session_revoked, account_inactive, account_banned, or storage's). For long-lived
  // connections, after they subscribed to revocations (SessionWatch).
  Result<void> CheckStanding(const Principal& who);

  Result<void> Logout(const Principal& who, bool all_devices);
  // Revokes the session a refresh token belongs to (all of the user's, with all_devices),
  // provided it belongs to `who` when `who` is given.
  Result<void> LogoutWithRefreshToken(const std::string& refresh_token, bool all_devices);

  Result<User> GetUser(const std::string& user_id);
  Result<User> UpdateProfile(const std::string& user_id, const ProfileUpdate& update);
  // Read-modify-write of one user in a single write transaction, so concurrent updates
  // (two preference patches) never lose one another. `mutate` may refuse with an error,
  // which is returned and nothing is written. It must not block on anything else.
  Result<User> UpdateUser(const std::string& user_id, const std::function<Result<void>(User&)>& mutate);
  // Checks the current password, sets the new one, and revokes every other session.
  Result<void> ChangePassword(const Principal& who, const std::string& current_password,
                              const std::string& new_password, const PasswordPolicy& policy);
  // True when `password` is the user's current password (for re-authentication).
  Result<bool> CheckPassword(const std::string& user_id, const std::string& password);

  Result<std::vector<Device>> Devices(const std::string& user_id);
  Result<void> RemoveDevice(const std::string& user_id, const std::string& device_id);
  Result<std::vector<Session>> Sessions(const std::string& user_id);
  Result<void> RevokeSession(const std::string& user_id, const std::string& session_id);

  // Administration (also used by the CLI). `also` runs in the same write transaction,
  // after the change (the admin's audit entry): its error rolls the change back and is
  // returned. A ban's revocation is published only once that whole transaction committed.
  Result<void> SetStatus(const std::string& user_id, UserStatus status, std::optional<std::string> reason,
                         const persistence::TransactionStep& also = {});
  Result<void> SetRole(const std::string& user_id, Role role);
  Result<std::optional<User>> FindByEmail(const std::string& email);
  // -1: unlimited.
  Result<void> SetTokenLimit(const std::string& user_id, std::int64_t tokens_limit,
                             const persistence::TransactionStep& also = {});

  UserRepository& users() { return users_; }

 private:
  Result<AuthResult> StartSession(const User& user, const ClientContext& client);
  // Inside a write transaction: the record of a refresh token that may be used now, or
  // nullopt with `failure` set (invalid, expired, or reused, which revokes its family).
  // A reuse sets `revoked`, to be published once the transaction committed.
  Result<std::optional<RefreshRecord>> UsableRefresh(persistence::UnitOfWork& tx, const std::string& hash,
                                                     std::optional<Error>& failure,
                                                     std::optional<SessionsRevoked>& revoked);
  // After a committed revocation. A failed publish is logged nowhere and not returned:
  // the revocation stands, REST refuses the sessions at once, and their connections
  // still close at their tokens' expiry.
  void Announce(SessionsRevoked revoked);
  // A new access token for a session, if its user is still in good standing.
  Result<IssuedToken> IssueAccess(const std::string& user_id, const std::string& session_id);
  Result<std::string> NewRefreshToken(persistence::UnitOfWork& tx, const std::string& session_id, const std::string& user_id,
                                      std::int64_t family_expires_at);
  Error LoginFailure(const std::string& email, const std::string& address);
  std::string Now() const;
  std::int64_t NowSeconds() const;

  persistence::Transactions& transactions_;
  PasswordHasher& hasher_;
  AccessTokenCodec& tokens_;
  const Clock& clock_;
  Random& random_;
  events::EventBus& events_;
  IdentityOptions options_;
  UserRepository& users_;
  SessionRepository& sessions_;
  LoginThrottle& throttle_;
  // Verified against for unknown emails, so they cost the same as a wrong password.
  // Made on first need (an Argon2 hash takes 19 MiB for a moment; an idle server should
  // not carry that high-water mark).
  const std::string& DummyHash();
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace atrium::core::identity
