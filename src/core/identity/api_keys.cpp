#include "core/identity/api_keys.hpp"

#include "core/identity/crypto.hpp"

namespace atrium::core::identity {

ApiKeys::ApiKeys(storage::Database& db, const Clock& clock, Random& random,
                 const std::map<std::string, std::string>& configured)
    : db_(db), clock_(clock), random_(random) {
  for (const auto& [key, user] : configured) configured_[Sha256Hex(key)] = user;
}

Result<void> ApiKeys::EnsureConfiguredUsers() {
  const std::string now = FormatRfc3339(clock_.Now());
  return db_.Transact([&](storage::Executor& tx) -> Result<void> {
    for (const auto& [hash, user_id] : configured_) {
      // "!" can never be produced by the Argon2 encoder, so nobody can log in with a password.
      auto r = tx.Execute(
          "INSERT OR IGNORE INTO users(id, email, email_lower, password_hash, display_name, created_at, updated_at)"
          " VALUES (?, ?, ?, '!', 'API key user', ?, ?)",
          {user_id, "apikey-" + user_id + "@localhost", "apikey-" + user_id + "@localhost", now, now});
      if (!r) return r.error();
    }
    return Ok{};
  });
}

Result<Principal> ApiKeys::Authenticate(std::string_view key) {
  if (key.empty() || key.size() > 512) {
    return Error(ErrorCode::kUnauthenticated, "Invalid or missing API key").WithReason(Reason::kInvalidApiKey);
  }
  const std::string hash = Sha256Hex(key);
  std::string user_id;
  if (auto it = configured_.find(hash); it != configured_.end()) {
    user_id = it->second;
  } else {
    auto rows = db_.Query("SELECT user_id FROM api_keys WHERE key_hash = ?", {hash});
    if (!rows) return rows.error();
    if (rows->empty()) {
      return Error(ErrorCode::kUnauthenticated, "Invalid or missing API key").WithReason(Reason::kInvalidApiKey);
    }
    user_id = storage::AsText(rows->rows[0][0]).value_or("");
  }
  auto rows = db_.Query("SELECT status, role FROM users WHERE id = ?", {user_id});
  if (!rows) return rows.error();
  if (rows->empty()) {
    return Error(ErrorCode::kUnauthenticated, "Invalid or missing API key").WithReason(Reason::kInvalidApiKey);
  }
  const std::string status = storage::AsText(rows->rows[0][0]).value_or("active");
  if (status == "banned")
    return Error(ErrorCode::kPermissionDenied, "Account is banned").WithReason(Reason::kAccountBanned);
  if (status != "active") {
    return Error(ErrorCode::kUnauthenticated, "Account is disabled").WithReason(Reason::kAccountInactive);
  }
  const Role role = storage::AsText(rows->rows[0][1]).value_or("user") == "admin" ? Role::kAdmin : Role::kUser;
  return Principal{user_id, "", role, 0};  // API keys do not expire
}

Result<std::string> ApiKeys::Create(const std::string& user_id, const std::string& name) {
  std::uint8_t bytes[32];
  random_.Fill(bytes, sizeof bytes);
  const std::string key = "sk-" + Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  // Inserts nothing when the user does not exist, rather than relying on the foreign key's
  // error (an internal error, not a client's "not found").
  auto r = db_.Execute(
      "INSERT INTO api_keys(key_hash, user_id, name, created_at)"
      " SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?)",
      {Sha256Hex(key), user_id, name, FormatRfc3339(clock_.Now()), user_id});
  if (!r) return r.error();
  if (*r == 0) return Error(ErrorCode::kNotFound, "User not found").WithReason(Reason::kUserNotFound);
  return key;
}

}  // namespace atrium::core::identity
