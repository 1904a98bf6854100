#pragma once
// The users aggregate: accounts, their profile, status, role and token budget.
// Blocking; thread-safe.
//
// Isolation: single-statement writes need kReadCommitted. A read-modify-write of one
// user (IdentityService::UpdateUser) reads with FindById(uow, ...) inside a
// kSerializable unit: that read locks the row until the unit ends (drivers with row
// locks take one; SQLite serialises every write unit anyway).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/identity/user.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "core/result.hpp"

namespace atrium::core::identity {

class UserRepository {
 public:
  virtual ~UserRepository() = default;

  // kAlreadyExists with reason "email_exists" or "username_exists".
  virtual Result<void> Insert(persistence::UnitOfWork& uow, const User& user, const std::string& password_hash) = 0;
  // Inserts an account with an unusable password unless one with this id exists
  // (API-key users from config). True when it inserted.
  virtual Result<bool> InsertIfAbsent(persistence::UnitOfWork& uow, const User& user) = 0;
  virtual Result<std::optional<User>> FindById(const std::string& id) = 0;
  // The same, read inside the unit of work, the row locked until it ends.
  virtual Result<std::optional<User>> FindById(persistence::UnitOfWork& uow, const std::string& id) = 0;
  // Case-insensitive. Also returns the stored password hash.
  virtual Result<std::optional<std::pair<User, std::string>>> FindByEmail(const std::string& email) = 0;
  // kNotFound (user_not_found) for an unknown user.
  virtual Result<std::string> PasswordHash(const std::string& user_id) = 0;
  // Oldest first (created_at, then id).
  virtual Result<std::vector<User>> List(int limit, int offset) = 0;
  virtual Result<std::int64_t> Count() = 0;

  virtual Result<void> SetPasswordHash(persistence::UnitOfWork& uow, const std::string& user_id,
                                       const std::string& hash, const std::string& now) = 0;
  virtual Result<void> TouchLogin(persistence::UnitOfWork& uow, const std::string& user_id,
                                  const std::string& now) = 0;
  // Writes the profile fields of `user` (display name, avatar, bio, locale, timezone,
  // username, email, settings, preferences). Conflicts as in Insert.
  virtual Result<void> UpdateProfile(persistence::UnitOfWork& uow, const User& user, const std::string& now) = 0;
  // kNotFound (user_not_found) for an unknown user.
  virtual Result<void> SetStatus(persistence::UnitOfWork& uow, const std::string& user_id, UserStatus status,
                                 const std::optional<std::string>& reason, const std::string& now) = 0;
  virtual Result<void> SetRole(persistence::UnitOfWork& uow, const std::string& user_id, Role role,
                               const std::string& now) = 0;
  // -1: unlimited. kNotFound for an unknown user.
  virtual Result<void> SetTokenLimit(persistence::UnitOfWork& uow, const std::string& user_id,
                                     std::int64_t tokens_limit, const std::string& now) = 0;

  // Users whose email or display name contains `search` (case-insensitive; empty: all),
  // oldest first, with the number of matches. Banned users only with `include_banned`.
  virtual Result<std::pair<std::vector<User>, std::int64_t>> Search(const std::string& search, bool include_banned,
                                                                    std::int64_t limit, std::int64_t offset) = 0;

  // ASCII lower case: how emails and usernames are compared.
  static std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
};

}  // namespace atrium::core::identity
