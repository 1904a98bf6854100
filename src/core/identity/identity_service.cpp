#include "core/identity/identity_service.hpp"

#include "core/identity/crypto.hpp"

namespace atrium::core::identity {

namespace {

Error InvalidCredentials() {
  return Error(ErrorCode::kUnauthenticated, "Invalid email or password").WithReason(Reason::kInvalidCredentials);
}

Error InvalidToken(std::string message = "Invalid or expired token") {
  return Error(ErrorCode::kUnauthenticated, std::move(message)).WithReason(Reason::kInvalidToken);
}

Error Standing(UserStatus status) {
  if (status == UserStatus::kBanned) {
    return Error(ErrorCode::kPermissionDenied, "Account is banned").WithReason(Reason::kAccountBanned);
  }
  return Error(ErrorCode::kUnauthenticated, "Account is disabled").WithReason(Reason::kAccountInactive);
}

}  // namespace

IdentityService::IdentityService(const persistence::Repositories& repos, PasswordHasher& hasher, AccessTokenCodec& tokens,
                                 const Clock& clock, Random& random, events::EventBus& events, LoginThrottle& throttle,
                                 IdentityOptions options)
    : transactions_(repos.transactions),
      hasher_(hasher),
      tokens_(tokens),
      clock_(clock),
      random_(random),
      events_(events),
      options_(options),
      users_(repos.users),
      sessions_(repos.sessions),
      throttle_(throttle) {}

const std::string& IdentityService::DummyHash() {
  std::call_once(dummy_once_, [this] {
    auto dummy = hasher_.Hash(NewUuid(random_));
    dummy_hash_ = dummy ? *dummy : std::string();
  });
  return dummy_hash_;
}

void IdentityService::Announce(SessionsRevoked revoked) {
  (void)events_.Publish(EncodeRevocation(revoked));  // see the header: the revocation stands either way
}

namespace {

SessionsRevoked Revoked(std::string user_id, SessionsRevoked::Scope scope, std::vector<std::string> session_ids,
                        RevocationCause cause) {
  SessionsRevoked r;
  r.user_id = std::move(user_id);
  r.scope = scope;
  r.session_ids = std::move(session_ids);
  r.cause = cause;
  return r;
}

}  // namespace

std::string IdentityService::Now() const { return FormatRfc3339(clock_.Now()); }

std::int64_t IdentityService::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Result<AuthResult> IdentityService::Register(const NewUser& input, const PasswordPolicy& policy,
                                             const ClientContext& client, bool sign_in) {
  if (!IsPlausibleEmail(input.email)) {
    return Error(ErrorCode::kInvalidArgument, "Invalid email format").WithReason(Reason::kInvalidEmail);
  }
  if (auto weak = policy.Check(input.password)) {
    return Error(ErrorCode::kInvalidArgument, *weak).WithReason(Reason::kWeakPassword);
  }
  auto hash = hasher_.Hash(input.password);
  if (!hash) return hash.error();

  User user;
  user.id = NewUuid(random_);
  user.email = input.email;
  user.username = input.username;
  user.display_name = input.display_name;
  user.role = input.role;
  user.created_at = user.updated_at = Now();
  auto inserted = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) { return users_.Insert(tx, user, *hash); });
  if (!inserted) return inserted.error();
  if (!sign_in) return AuthResult{user, {}, std::nullopt, {}};
  return StartSession(user, client);
}

Error IdentityService::LoginFailure(const std::string& email, const std::string& address) {
  // Fails open (LoginThrottle::kOnFailure): an unrecorded failure is dropped.
  (void)throttle_.RecordFailure(UserRepository::Lower(email), address);
  return InvalidCredentials();
}

Result<AuthResult> IdentityService::Login(const std::string& email, const std::string& password,
                                          const ClientContext& client) {
  if (email.empty() || password.empty()) {
    return Error(ErrorCode::kInvalidArgument, "Email and password are required")
        .WithReason(Reason::kMissingCredentials);
  }
  const std::string account = UserRepository::Lower(email);
  const auto locked = throttle_.LockedFor(account, client.ip_address);
  if (!locked && LoginThrottle::kOnFailure == FailMode::kClosed) {
    return Error(ErrorCode::kUnavailable, "Sign-in is temporarily unavailable", locked.error().internal_message());
  }
  if (const std::int64_t seconds = locked ? *locked : 0; seconds > 0) {
    return Error(ErrorCode::kUnauthenticated,
                 "Too many failed attempts; try again in " + std::to_string(seconds) + " seconds")
        .WithReason(Reason::kAccountLocked);
  }
  auto found = users_.FindByEmail(email);
  if (!found) return found.error();
  if (!*found) {
    (void)hasher_.Verify(DummyHash(), password);  // same cost as a wrong password
    return LoginFailure(email, client.ip_address);
  }
  auto& [user, hash] = **found;
  if (!hasher_.Verify(hash, password)) return LoginFailure(email, client.ip_address);
  (void)throttle_.RecordSuccess(account, client.ip_address);  // fails open, as above
  if (user.status != UserStatus::kActive) return Standing(user.status);

  if (hasher_.NeedsRehash(hash)) {
    if (auto rehashed = hasher_.Hash(password)) {
      (void)transactions_.Run(persistence::Isolation::kReadCommitted, [&, &user_id = user.id](persistence::UnitOfWork& tx) {
        return users_.SetPasswordHash(tx, user_id, *rehashed, Now());
      });
    }  // a failed rehash only postpones the upgrade to the next login
  }
  return StartSession(user, client);
}

Result<std::string> IdentityService::NewRefreshToken(persistence::UnitOfWork& tx, const std::string& session_id,
                                                     const std::string& user_id, std::int64_t family_expires_at) {
  std::uint8_t bytes[32];  // 256 bits
  random_.Fill(bytes, sizeof bytes);
  std::string token = Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  auto stored = sessions_.InsertRefresh(tx, Sha256Hex(token), session_id, user_id, NowSeconds(), family_expires_at);
  if (!stored) return stored.error();
  return token;
}

Result<AuthResult> IdentityService::StartSession(const User& user, const ClientContext& client) {
  AuthResult result;
  result.user = user;
  result.session_id = NewUuid(random_);
  const std::string now = Now();
  std::string refresh;
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    Session s;
    s.id = result.session_id;
    s.user_id = user.id;
    s.ip_address = client.ip_address;
    s.user_agent = client.user_agent;
    s.created_at = s.last_activity_at = now;
    if (client.device) {
      auto device = sessions_.UpsertDevice(tx, user.id, *client.device, NewUuid(random_), now);
      if (!device) return device.error();
      s.device_id = device->id;
      result.device = std::move(*device);
    }
    if (auto r = sessions_.InsertSession(tx, s); !r) return r.error();
    if (auto r = users_.TouchLogin(tx, user.id, now); !r) return r.error();
    auto token = NewRefreshToken(tx, s.id, user.id, NowSeconds() + options_.refresh_lifetime.count());
    if (!token) return token.error();
    refresh = std::move(*token);
    return Ok{};
  });
  if (!done) return done.error();
  result.user.last_login_at = now;
  const auto access = tokens_.Issue(user.id, result.session_id, std::string(RoleName(user.role)));
  result.tokens = {access.token, refresh, access.expires_in};
  return result;
}

Result<std::optional<RefreshRecord>> IdentityService::UsableRefresh(persistence::UnitOfWork& tx, const std::string& hash,
                                                                    std::optional<Error>& failure,
                                                                    std::optional<SessionsRevoked>& revoked) {
  auto record = sessions_.FindRefresh(tx, hash);
  if (!record) return record.error();
  if (!*record || (*record)->revoked) {
    failure = InvalidToken("Invalid refresh token");
    return std::optional<RefreshRecord>{};
  }
  const RefreshRecord& r = **record;
  if (r.used) {
    // A spent token came back: someone holds a copy. Revoke the whole family.
    if (auto n = sessions_.RevokeSession(tx, r.user_id, r.session_id, Now()); !n) return n.error();
    revoked = Revoked(r.user_id, SessionsRevoked::Scope::kSessions, {r.session_id}, RevocationCause::kTokenReused);
    failure = Error(ErrorCode::kUnauthenticated, "Refresh token already used; session revoked")
                  .WithReason(Reason::kTokenReused);
    return std::optional<RefreshRecord>{};
  }
  if (r.family_expires_at <= NowSeconds()) {
    failure = Error(ErrorCode::kUnauthenticated, "Refresh token has expired").WithReason(Reason::kTokenExpired);
    return std::optional<RefreshRecord>{};
  }
  return record;
}

Result<IssuedToken> IdentityService::IssueAccess(const std::string& user_id, const std::string& session_id) {
  auto user = users_.FindById(user_id);
  if (!user) return user.error();
  if (!*user) return InvalidToken("Invalid refresh token");
  if ((*user)->status != UserStatus::kActive) return Standing((*user)->status);
  return tokens_.Issue(user_id, session_id, std::string(RoleName((*user)->role)));
}

Result<TokenPair> IdentityService::Refresh(const std::string& refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > 512) return InvalidToken("Invalid refresh token");
  const std::string hash = Sha256Hex(refresh_token);
  std::optional<Error> failure;
  std::optional<SessionsRevoked> revoked;
  RefreshRecord r;
  std::string next;
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto record = UsableRefresh(tx, hash, failure, revoked);
    if (!record) return record.error();
    if (!*record) return Ok{};
    r = std::move(**record);
    auto marked = sessions_.MarkRefreshUsed(tx, hash, NowSeconds());
    if (!marked) return marked.error();
    if (!*marked) {  // a concurrent refresh (another writer) spent it first: never issue twice
      failure = InvalidToken("Invalid refresh token");
      return Ok{};
    }
    auto token = NewRefreshToken(tx, r.session_id, r.user_id, r.family_expires_at);
    if (!token) return token.error();
    next = std::move(*token);
    return sessions_.TouchSession(tx, r.session_id, Now());
  });
  if (!done) return done.error();
  if (revoked) Announce(std::move(*revoked));
  if (failure) return *failure;
  auto access = IssueAccess(r.user_id, r.session_id);
  if (!access) return access.error();
  return TokenPair{access->token, next, access->expires_in};
}

Result<IssuedToken> IdentityService::RefreshAccessOnly(const std::string& refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > 512) return InvalidToken("Invalid refresh token");
  const std::string hash = Sha256Hex(refresh_token);
  std::optional<Error> failure;
  std::optional<SessionsRevoked> revoked;
  RefreshRecord r;
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto record = UsableRefresh(tx, hash, failure, revoked);
    if (!record) return record.error();
    if (!*record) return Ok{};
    r = std::move(**record);
    return sessions_.TouchSession(tx, r.session_id, Now());
  });
  if (!done) return done.error();
  if (revoked) Announce(std::move(*revoked));
  if (failure) return *failure;
  return IssueAccess(r.user_id, r.session_id);
}

Result<Principal> IdentityService::Authenticate(std::string_view access_token) {
  auto claims = tokens_.Verify(access_token);
  if (!claims) return claims.error();
  auto state = sessions_.State(claims->user_id, claims->session_id);
  if (!state) return state.error();
  if (!*state || (*state)->revoked) {
    return Error(ErrorCode::kUnauthenticated, "Session has been revoked").WithReason(Reason::kSessionRevoked);
  }
  if ((*state)->status != UserStatus::kActive) return Standing((*state)->status);
  return Principal{claims->user_id, claims->session_id, (*state)->role, claims->expires_at};
}

Result<void> IdentityService::CheckStanding(const Principal& who) {
  if (who.session_id.empty()) {
    auto user = users_.FindById(who.user_id);
    if (!user) return user.error();
    if (!*user) return Error(ErrorCode::kUnauthenticated, "Account not found").WithReason(Reason::kAccountInactive);
    if ((*user)->status != UserStatus::kActive) return Standing((*user)->status);
    return Ok{};
  }
  auto state = sessions_.State(who.user_id, who.session_id);
  if (!state) return state.error();
  if (!*state || (*state)->revoked) {
    return Error(ErrorCode::kUnauthenticated, "Session has been revoked").WithReason(Reason::kSessionRevoked);
  }
  if ((*state)->status != UserStatus::kActive) return Standing((*state)->status);
  return Ok{};
}

Result<void> IdentityService::Logout(const Principal& who, bool all_devices) {
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto r = all_devices ? sessions_.RevokeAllSessions(tx, who.user_id, std::nullopt, Now())
                         : sessions_.RevokeSession(tx, who.user_id, who.session_id, Now());
    if (!r) return r.error();
    return Ok{};
  });
  if (!done) return done;
  Announce(all_devices
               ? Revoked(who.user_id, SessionsRevoked::Scope::kAll, {}, RevocationCause::kLogout)
               : Revoked(who.user_id, SessionsRevoked::Scope::kSessions, {who.session_id}, RevocationCause::kLogout));
  return Ok{};
}

Result<void> IdentityService::LogoutWithRefreshToken(const std::string& refresh_token, bool all_devices) {
  const std::string hash = Sha256Hex(refresh_token);
  std::optional<Error> failure;
  std::optional<SessionsRevoked> revoked;
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto record = sessions_.FindRefresh(tx, hash);
    if (!record) return record.error();
    if (!*record) {
      failure = InvalidToken("Invalid refresh token");
      return Ok{};
    }
    const RefreshRecord& found = **record;
    auto r = all_devices ? sessions_.RevokeAllSessions(tx, found.user_id, std::nullopt, Now())
                         : sessions_.RevokeSession(tx, found.user_id, found.session_id, Now());
    if (!r) return r.error();
    revoked = all_devices ? Revoked(found.user_id, SessionsRevoked::Scope::kAll, {}, RevocationCause::kLogout)
                          : Revoked(found.user_id, SessionsRevoked::Scope::kSessions, {found.session_id},
                                    RevocationCause::kLogout);
    return Ok{};
  });
  if (!done) return done.error();
  if (failure) return *failure;
  if (revoked) Announce(std::move(*revoked));
  return Ok{};
}

Result<User> IdentityService::GetUser(const std::string& user_id) {
  auto user = users_.FindById(user_id);
  if (!user) return user.error();
  if (!*user) return Error(ErrorCode::kNotFound, "User not found").WithReason(Reason::kUserNotFound);
  return std::move(**user);
}

Result<User> IdentityService::UpdateUser(const std::string& user_id, const std::function<Result<void>(User&)>& mutate) {
  User user;
  // Read-modify-write: serializable, the row locked by the read (user_repository.hpp).
  auto done = transactions_.Run(persistence::Isolation::kSerializable, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto found = users_.FindById(tx, user_id);
    if (!found) return found.error();
    if (!*found) return Error(ErrorCode::kNotFound, "User not found").WithReason(Reason::kUserNotFound);
    user = std::move(**found);
    if (auto r = mutate(user); !r) return r.error();
    user.updated_at = Now();
    return users_.UpdateProfile(tx, user, user.updated_at);
  });
  if (!done) return done.error();
  return user;
}

Result<User> IdentityService::UpdateProfile(const std::string& user_id, const ProfileUpdate& u) {
  if (u.email && !IsPlausibleEmail(*u.email)) {
    return Error(ErrorCode::kInvalidArgument, "Invalid email format").WithReason(Reason::kInvalidEmail);
  }
  return UpdateUser(user_id, [&u](User& user) -> Result<void> {
    if (u.email) user.email = *u.email;
    if (u.username) user.username = *u.username;
    if (u.display_name) user.display_name = *u.display_name;
    if (u.avatar_url) user.avatar_url = *u.avatar_url;
    if (u.bio) user.bio = *u.bio;
    if (u.locale) user.locale = *u.locale;
    if (u.timezone) user.timezone = *u.timezone;
    if (u.settings_json) user.settings_json = *u.settings_json;
    if (u.preferences_json) user.preferences_json = *u.preferences_json;
    return Ok{};
  });
}

Result<bool> IdentityService::CheckPassword(const std::string& user_id, const std::string& password) {
  auto hash = users_.PasswordHash(user_id);
  if (!hash) return hash.error();
  return hasher_.Verify(*hash, password);
}

Result<void> IdentityService::ChangePassword(const Principal& who, const std::string& current_password,
                                             const std::string& new_password, const PasswordPolicy& policy) {
  auto ok = CheckPassword(who.user_id, current_password);
  if (!ok) return ok.error();
  if (!*ok) {
    return Error(ErrorCode::kUnauthenticated, "Current password is incorrect").WithReason(Reason::kInvalidCredentials);
  }
  if (auto weak = policy.Check(new_password))
    return Error(ErrorCode::kInvalidArgument, *weak).WithReason(Reason::kWeakPassword);
  auto hash = hasher_.Hash(new_password);
  if (!hash) return hash.error();
  const std::optional<std::string> keep =
      who.session_id.empty() ? std::nullopt : std::optional<std::string>(who.session_id);
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    const std::string now = Now();
    if (auto r = users_.SetPasswordHash(tx, who.user_id, *hash, now); !r) return r.error();
    if (auto r = sessions_.RevokeAllSessions(tx, who.user_id, keep, now); !r) return r.error();
    return Ok{};
  });
  if (!done) return done;
  Announce(keep ? Revoked(who.user_id, SessionsRevoked::Scope::kAllExcept, {*keep}, RevocationCause::kPasswordChanged)
                : Revoked(who.user_id, SessionsRevoked::Scope::kAll, {}, RevocationCause::kPasswordChanged));
  return Ok{};
}

Result<std::vector<Device>> IdentityService::Devices(const std::string& user_id) { return sessions_.Devices(user_id); }

Result<void> IdentityService::RemoveDevice(const std::string& user_id, const std::string& device_id) {
  std::optional<Error> failure;
  std::vector<std::string> ended;
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto revoked = sessions_.RevokeDeviceSessions(tx, user_id, device_id, Now());
    if (!revoked) return revoked.error();
    ended = std::move(*revoked);
    auto deleted = sessions_.DeleteDevice(tx, user_id, device_id);
    if (!deleted) return deleted.error();
    if (!*deleted) failure = Error(ErrorCode::kNotFound, "Device not found").WithReason(Reason::kDeviceNotFound);
    return Ok{};
  });
  if (!done) return done.error();
  if (failure) return *failure;
  if (!ended.empty()) {
    Announce(Revoked(user_id, SessionsRevoked::Scope::kSessions, std::move(ended), RevocationCause::kDeviceRemoved));
  }
  return Ok{};
}

Result<std::vector<Session>> IdentityService::Sessions(const std::string& user_id) {
  return sessions_.ActiveSessions(user_id);
}

Result<void> IdentityService::RevokeSession(const std::string& user_id, const std::string& session_id) {
  std::optional<Error> failure;
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto n = sessions_.RevokeSession(tx, user_id, session_id, Now());
    if (!n) return n.error();
    if (*n == 0) failure = Error(ErrorCode::kNotFound, "Session not found").WithReason(Reason::kSessionNotFound);
    return Ok{};
  });
  if (!done) return done.error();
  if (failure) return *failure;
  Announce(Revoked(user_id, SessionsRevoked::Scope::kSessions, {session_id}, RevocationCause::kSessionRevoked));
  return Ok{};
}

Result<void> IdentityService::SetStatus(const std::string& user_id, UserStatus status,
                                        std::optional<std::string> reason, const persistence::TransactionStep& also) {
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    const std::string now = Now();
    if (auto r = users_.SetStatus(tx, user_id, status, reason, now); !r) return r.error();
    if (status != UserStatus::kActive) {
      if (auto r = sessions_.RevokeAllSessions(tx, user_id, std::nullopt, now); !r) return r.error();
    }
    if (also) return also(tx);
    return Ok{};
  });
  if (!done) return done;  // nothing committed, so nothing to announce
  if (status != UserStatus::kActive) {
    Announce(Revoked(user_id, SessionsRevoked::Scope::kAll, {}, RevocationCause::kAccountInactive));
  }
  return Ok{};
}

Result<void> IdentityService::SetRole(const std::string& user_id, Role role) {
  return transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) { return users_.SetRole(tx, user_id, role, Now()); });
}

Result<std::optional<User>> IdentityService::FindByEmail(const std::string& email) {
  auto found = users_.FindByEmail(email);
  if (!found) return found.error();
  if (!*found) return std::optional<User>{};
  return std::optional<User>{std::move((*found)->first)};
}

Result<void> IdentityService::SetTokenLimit(const std::string& user_id, std::int64_t tokens_limit,
                                            const persistence::TransactionStep& also) {
  return transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    if (auto r = users_.SetTokenLimit(tx, user_id, tokens_limit, Now()); !r) return r;
    if (also) return also(tx);
    return Ok{};
  });
}

}  // namespace atrium::core::identity
