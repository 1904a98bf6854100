#pragma once
// SQL for users. Blocking; every write is one transaction (or part of the caller's).

#include <optional>
#include <string>

#include "core/identity/user.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace atrium::core::identity {

class UserStore {
 public:
  explicit UserStore(storage::Database& db) : db_(db) {}

  // kAlreadyExists with reason "email_exists" or "username_exists".
  Result<void> Insert(storage::Executor& tx, const User& user, const std::string& password_hash);
  Result<std::optional<User>> FindById(const std::string& id);
  // The same, read inside the caller's write transaction.
  Result<std::optional<User>> FindById(storage::Executor& tx, const std::string& id);
  // Case-insensitive. Also returns the stored password hash.
  Result<std::optional<std::pair<User, std::string>>> FindByEmail(const std::string& email);
  Result<std::string> PasswordHash(const std::string& user_id);
  Result<std::vector<User>> List(int limit, int offset);
  Result<std::int64_t> Count();

  Result<void> SetPasswordHash(storage::Executor& tx, const std::string& user_id, const std::string& hash,
                               const std::string& now);
  Result<void> TouchLogin(storage::Executor& tx, const std::string& user_id, const std::string& now);
  // Writes the profile fields of `user` (display name, avatar, bio, locale, timezone,
  // username, email, settings, preferences). Conflicts as in Insert.
  Result<void> UpdateProfile(storage::Executor& tx, const User& user, const std::string& now);
  Result<void> SetStatus(storage::Executor& tx, const std::string& user_id, UserStatus status,
                         const std::optional<std::string>& reason, const std::string& now);
  Result<void> SetRole(storage::Executor& tx, const std::string& user_id, Role role, const std::string& now);

  static std::string Lower(std::string_view s);

  // Users whose email or display name contains `search` (case-insensitive; empty: all),
  // oldest first, with the number of matches. Banned users only with `include_banned`.
  Result<std::pair<std::vector<User>, std::int64_t>> Search(const std::string& search, bool include_banned,
                                                            std::int64_t limit, std::int64_t offset);
  // -1: unlimited. kNotFound for an unknown user.
  Result<void> SetTokenLimit(storage::Executor& tx, const std::string& user_id, std::int64_t tokens_limit,
                             const std::string& now);

 private:
  storage::Database& db_;
};

}  // namespace atrium::core::identity
