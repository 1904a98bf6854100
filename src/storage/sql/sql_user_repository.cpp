#include "storage/sql/sql_user_repository.hpp"

#include "storage/sql/sql_unit_of_work.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

using core::Error;
using core::ErrorCode;
using core::Ok;
using core::Reason;
using core::Result;
using core::identity::Role;
using core::identity::User;
using core::identity::UserStatus;
using core::persistence::UnitOfWork;

namespace {


constexpr const char* kColumns =
    "id, email, username, display_name, avatar_url, bio, locale, timezone, role, status, ban_reason,"
    " email_verified, settings, preferences, messages_sent, tokens_used, tokens_limit, created_at, updated_at,"
    " last_login_at";

User FromRow(const std::vector<Value>& r) {
  User u;
  u.id = AsText(r[0]).value_or("");
  u.email = AsText(r[1]).value_or("");
  u.username = AsText(r[2]);
  u.display_name = AsText(r[3]).value_or("");
  u.avatar_url = AsText(r[4]);
  u.bio = AsText(r[5]).value_or("");
  u.locale = AsText(r[6]).value_or("en-US");
  u.timezone = AsText(r[7]).value_or("UTC");
  u.role = AsText(r[8]).value_or("user") == "admin" ? Role::kAdmin : Role::kUser;
  const std::string status = AsText(r[9]).value_or("active");
  u.status = status == "banned"     ? UserStatus::kBanned
             : status == "disabled" ? UserStatus::kDisabled
                                    : UserStatus::kActive;
  u.ban_reason = AsText(r[10]);
  u.email_verified = AsInt(r[11]).value_or(0) != 0;
  u.settings_json = AsText(r[12]).value_or("{}");
  u.preferences_json = AsText(r[13]).value_or("{}");
  u.usage.messages_sent = AsInt(r[14]).value_or(0);
  u.usage.tokens_used = AsInt(r[15]).value_or(0);
  u.usage.tokens_limit = AsInt(r[16]).value_or(-1);
  u.created_at = AsText(r[17]).value_or("");
  u.updated_at = AsText(r[18]).value_or("");
  u.last_login_at = AsText(r[19]);
  return u;
}

// Tells an email clash from a username clash after a constraint failure.
Error ConflictError(const Error& e) {
  if (e.code() != ErrorCode::kAlreadyExists) return e;
  if (e.internal_message().find("username") != std::string::npos) {
    return Error(ErrorCode::kAlreadyExists, "Username already taken").WithReason(Reason::kUsernameExists);
  }
  return Error(ErrorCode::kAlreadyExists, "Email already registered").WithReason(Reason::kEmailExists);
}

}  // namespace

Result<void> SqlUserRepository::Insert(UnitOfWork& uow, const User& u, const std::string& password_hash) {
  auto r = Tx(uow).Execute(
      "INSERT INTO users(id, email, email_lower, username, username_lower, password_hash, display_name, avatar_url,"
      " bio, locale, timezone, role, status, email_verified, settings, preferences, tokens_limit, created_at,"
      " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      Params{u.id, u.email, Lower(u.email), Opt(u.username), u.username ? Value{Lower(*u.username)} : Value{Null{}},
             password_hash, u.display_name, Opt(u.avatar_url), u.bio, u.locale, u.timezone,
             std::string(core::identity::RoleName(u.role)), std::string(core::identity::StatusName(u.status)), std::int64_t{u.email_verified ? 1 : 0},
             u.settings_json, u.preferences_json, u.usage.tokens_limit, u.created_at, u.updated_at});
  if (!r) return ConflictError(r.error());
  return Ok{};
}

Result<bool> SqlUserRepository::InsertIfAbsent(UnitOfWork& uow, const User& u) {
  // "!" can never be produced by the Argon2 encoder, so nobody can log in with a password.
  auto r = Tx(uow).Execute(
      "INSERT INTO users(id, email, email_lower, password_hash, display_name, created_at, updated_at)"
      " VALUES (?, ?, ?, '!', ?, ?, ?) ON CONFLICT DO NOTHING",
      Params{u.id, u.email, Lower(u.email), u.display_name, u.created_at, u.updated_at});
  if (!r) return r.error();
  return *r == 1;
}

Result<std::optional<User>> SqlUserRepository::FindById(const std::string& id) {
  auto rows = db_.Query(std::string("SELECT ") + kColumns + " FROM users WHERE id = ?", {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<User>{};
  return std::optional<User>{FromRow(rows->rows[0])};
}

Result<std::optional<User>> SqlUserRepository::FindById(UnitOfWork& uow, const std::string& id) {
  auto rows = Tx(uow).Query(std::string("SELECT ") + kColumns + " FROM users WHERE id = ?" + flavor_.lock_rows, {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<User>{};
  return std::optional<User>{FromRow(rows->rows[0])};
}

Result<std::optional<std::pair<User, std::string>>> SqlUserRepository::FindByEmail(const std::string& email) {
  auto rows =
      db_.Query(std::string("SELECT ") + kColumns + ", password_hash FROM users WHERE email_lower = ?", {Lower(email)});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::pair<User, std::string>>{};
  return std::optional<std::pair<User, std::string>>{
      std::pair{FromRow(rows->rows[0]), AsText(rows->rows[0][20]).value_or("")}};
}

Result<std::string> SqlUserRepository::PasswordHash(const std::string& user_id) {
  auto rows = db_.Query("SELECT password_hash FROM users WHERE id = ?", {user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return Error(ErrorCode::kNotFound, "User not found").WithReason(core::Reason::kUserNotFound);
  return AsText(rows->rows[0][0]).value_or("");
}

Result<std::vector<User>> SqlUserRepository::List(int limit, int offset) {
  auto rows = db_.Query(std::string("SELECT ") + kColumns + " FROM users ORDER BY created_at, id LIMIT ? OFFSET ?",
                        {std::int64_t{limit}, std::int64_t{offset}});
  if (!rows) return rows.error();
  std::vector<User> out;
  for (const auto& r : rows->rows) out.push_back(FromRow(r));
  return out;
}

Result<std::int64_t> SqlUserRepository::Count() {
  auto rows = db_.Query("SELECT COUNT(*) FROM users");
  if (!rows) return rows.error();
  return AsInt(rows->rows[0][0]).value_or(0);
}

Result<void> SqlUserRepository::SetPasswordHash(UnitOfWork& uow, const std::string& user_id, const std::string& hash,
                                        const std::string& now) {
  auto r = Tx(uow).Execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", {hash, now, user_id});
  if (!r) return r.error();
  return Ok{};
}

Result<void> SqlUserRepository::TouchLogin(UnitOfWork& uow, const std::string& user_id, const std::string& now) {
  auto r = Tx(uow).Execute("UPDATE users SET last_login_at = ? WHERE id = ?", {now, user_id});
  if (!r) return r.error();
  return Ok{};
}

Result<void> SqlUserRepository::UpdateProfile(UnitOfWork& uow, const User& u, const std::string& now) {
  auto r = Tx(uow).Execute(
      "UPDATE users SET email = ?, email_lower = ?, username = ?, username_lower = ?, display_name = ?,"
      " avatar_url = ?, bio = ?, locale = ?, timezone = ?, settings = ?, preferences = ?, updated_at = ?"
      " WHERE id = ?",
      Params{u.email, Lower(u.email), Opt(u.username), u.username ? Value{Lower(*u.username)} : Value{Null{}},
             u.display_name, Opt(u.avatar_url), u.bio, u.locale, u.timezone, u.settings_json, u.preferences_json, now,
             u.id});
  if (!r) return ConflictError(r.error());
  return Ok{};
}

Result<void> SqlUserRepository::SetStatus(UnitOfWork& uow, const std::string& user_id, UserStatus status,
                                  const std::optional<std::string>& reason, const std::string& now) {
  auto r = Tx(uow).Execute("UPDATE users SET status = ?, ban_reason = ?, updated_at = ? WHERE id = ?",
                      {std::string(core::identity::StatusName(status)), Opt(reason), now, user_id});
  if (!r) return r.error();
  if (*r == 0) return Error(ErrorCode::kNotFound, "User not found").WithReason(Reason::kUserNotFound);
  return Ok{};
}

Result<void> SqlUserRepository::SetRole(UnitOfWork& uow, const std::string& user_id, Role role, const std::string& now) {
  auto r =
      Tx(uow).Execute("UPDATE users SET role = ?, updated_at = ? WHERE id = ?", {std::string(core::identity::RoleName(role)), now, user_id});
  if (!r) return r.error();
  if (*r == 0) return Error(ErrorCode::kNotFound, "User not found").WithReason(Reason::kUserNotFound);
  return Ok{};
}

Result<std::pair<std::vector<User>, std::int64_t>> SqlUserRepository::Search(const std::string& search, bool include_banned,
                                                                     std::int64_t limit, std::int64_t offset) {
  std::string where = " WHERE 1 = 1";
  Params params;
  if (!include_banned) where += " AND status <> 'banned'";
  if (!search.empty()) {
    const std::string pattern = LikeContains(search, true);
    where += " AND (email_lower LIKE ? ESCAPE '\\' OR lower(display_name) LIKE ? ESCAPE '\\')";
    params.emplace_back(pattern);
    params.emplace_back(pattern);
  }
  auto count = db_.Query("SELECT COUNT(*) FROM users" + where, params);
  if (!count) return count.error();
  params.emplace_back(limit);
  params.emplace_back(offset);
  auto rows = db_.Query(
      std::string("SELECT ") + kColumns + " FROM users" + where + " ORDER BY created_at, id LIMIT ? OFFSET ?", params);
  if (!rows) return rows.error();
  std::vector<User> users;
  for (const auto& r : rows->rows) users.push_back(FromRow(r));
  return std::make_pair(std::move(users), AsInt(count->rows[0][0]).value_or(0));
}

Result<void> SqlUserRepository::SetTokenLimit(UnitOfWork& uow, const std::string& user_id, std::int64_t tokens_limit,
                                      const std::string& now) {
  auto r = Tx(uow).Execute("UPDATE users SET tokens_limit = ?, updated_at = ? WHERE id = ?", {tokens_limit, now, user_id});
  if (!r) return r.error();
  if (*r == 0) return Error(ErrorCode::kNotFound, "User not found").WithReason(Reason::kUserNotFound);
  return Ok{};
}

}  // namespace atrium::storage::sql
