#include "core/identity/session_store.hpp"

namespace atrium::core::identity {

namespace {

using storage::Null;
using storage::Params;
using storage::Value;

Value Opt(const std::optional<std::string>& s) { return s ? Value{*s} : Value{Null{}}; }

Device DeviceFromRow(const std::vector<Value>& r) {
  Device d;
  d.id = storage::AsText(r[0]).value_or("");
  d.user_id = storage::AsText(r[1]).value_or("");
  d.info.fingerprint = storage::AsText(r[2]).value_or("");
  d.info.name = storage::AsText(r[3]).value_or("");
  d.info.type = storage::AsText(r[4]).value_or("");
  d.info.model = storage::AsText(r[5]).value_or("");
  d.info.os_version = storage::AsText(r[6]).value_or("");
  d.info.app_version = storage::AsText(r[7]).value_or("");
  d.trusted = storage::AsInt(r[8]).value_or(0) != 0;
  d.last_seen_at = storage::AsText(r[9]).value_or("");
  d.created_at = storage::AsText(r[10]).value_or("");
  return d;
}

constexpr const char* kDeviceColumns =
    "id, user_id, fingerprint, name, type, model, os_version, app_version, is_trusted, last_seen_at, created_at";

}  // namespace

Result<Device> SessionStore::UpsertDevice(storage::Executor& tx, const std::string& user_id, const DeviceInfo& info,
                                          const std::string& new_id, const std::string& now) {
  auto r = tx.Execute(
      "INSERT INTO devices(id, user_id, fingerprint, name, type, model, os_version, app_version, last_seen_at,"
      " created_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(user_id, fingerprint) DO UPDATE SET"
      " name = excluded.name, type = excluded.type, model = excluded.model, os_version = excluded.os_version,"
      " app_version = excluded.app_version, last_seen_at = excluded.last_seen_at",
      Params{new_id, user_id, info.fingerprint, info.name, info.type, info.model, info.os_version, info.app_version,
             now, now});
  if (!r) return r.error();
  auto rows = tx.Query(std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE user_id = ? AND fingerprint = ?",
                       {user_id, info.fingerprint});
  if (!rows) return rows.error();
  if (rows->empty()) return Error(ErrorCode::kInternal, "device vanished");
  return DeviceFromRow(rows->rows[0]);
}

Result<void> SessionStore::InsertSession(storage::Executor& tx, const Session& s) {
  auto r = tx.Execute(
      "INSERT INTO sessions(id, user_id, device_id, ip_address, user_agent, country, city, created_at,"
      " last_activity_at) VALUES (?,?,?,?,?,?,?,?,?)",
      Params{s.id, s.user_id, Opt(s.device_id), s.ip_address, s.user_agent, Opt(s.country), Opt(s.city), s.created_at,
             s.last_activity_at});
  if (!r) return r.error();
  return Ok{};
}

Result<void> SessionStore::InsertRefresh(storage::Executor& tx, const std::string& token_hash,
                                         const std::string& session_id, const std::string& user_id,
                                         std::int64_t issued_at, std::int64_t family_expires_at) {
  auto r = tx.Execute(
      "INSERT INTO refresh_tokens(token_hash, session_id, user_id, issued_at, family_expires_at) VALUES (?,?,?,?,?)",
      Params{token_hash, session_id, user_id, issued_at, family_expires_at});
  if (!r) return r.error();
  return Ok{};
}

Result<std::optional<RefreshRecord>> SessionStore::FindRefresh(storage::Executor& tx, const std::string& token_hash) {
  auto rows = tx.Query(
      "SELECT t.session_id, t.user_id, t.family_expires_at, t.used_at IS NOT NULL, s.revoked_at IS NOT NULL"
      " FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = ?",
      {token_hash});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<RefreshRecord>{};
  const auto& r = rows->rows[0];
  return std::optional<RefreshRecord>{RefreshRecord{
      storage::AsText(r[0]).value_or(""), storage::AsText(r[1]).value_or(""), storage::AsInt(r[2]).value_or(0),
      storage::AsInt(r[3]).value_or(0) != 0, storage::AsInt(r[4]).value_or(0) != 0}};
}

Result<bool> SessionStore::MarkRefreshUsed(storage::Executor& tx, const std::string& token_hash, std::int64_t now) {
  auto r =
      tx.Execute("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", {now, token_hash});
  if (!r) return r.error();
  return *r == 1;
}

Result<void> SessionStore::TouchSession(storage::Executor& tx, const std::string& session_id, const std::string& now) {
  auto r = tx.Execute("UPDATE sessions SET last_activity_at = ? WHERE id = ?", {now, session_id});
  if (!r) return r.error();
  return Ok{};
}

Result<std::int64_t> SessionStore::RevokeSession(storage::Executor& tx, const std::string& user_id,
                                                 const std::string& session_id, const std::string& now) {
  return tx.Execute("UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                    {now, session_id, user_id});
}

Result<std::int64_t> SessionStore::RevokeAllSessions(storage::Executor& tx, const std::string& user_id,
                                                     const std::optional<std::string>& except_session,
                                                     const std::string& now) {
  return tx.Execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id IS NOT ?",
                    {now, user_id, Opt(except_session)});
}

Result<std::vector<std::string>> SessionStore::RevokeDeviceSessions(storage::Executor& tx, const std::string& user_id,
                                                                    const std::string& device_id,
                                                                    const std::string& now) {
  auto rows = tx.Query("SELECT id FROM sessions WHERE user_id = ? AND device_id = ? AND revoked_at IS NULL",
                       {user_id, device_id});
  if (!rows) return rows.error();
  std::vector<std::string> ids;
  for (const auto& row : rows->rows) ids.push_back(storage::AsText(row[0]).value_or(""));
  auto r = tx.Execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND device_id = ? AND revoked_at IS NULL",
                      {now, user_id, device_id});
  if (!r) return r.error();
  return ids;
}

Result<bool> SessionStore::DeleteDevice(storage::Executor& tx, const std::string& user_id,
                                        const std::string& device_id) {
  auto r = tx.Execute("DELETE FROM devices WHERE id = ? AND user_id = ?", {device_id, user_id});
  if (!r) return r.error();
  return *r == 1;
}

Result<std::optional<SessionStore::SessionState>> SessionStore::State(const std::string& user_id,
                                                                      const std::string& session_id) {
  auto rows = db_.Query(
      "SELECT s.revoked_at IS NOT NULL, u.status, u.role FROM sessions s JOIN users u ON u.id = s.user_id"
      " WHERE s.id = ? AND s.user_id = ?",
      {session_id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<SessionState>{};
  const auto& r = rows->rows[0];
  SessionState st;
  st.revoked = storage::AsInt(r[0]).value_or(1) != 0;
  const std::string status = storage::AsText(r[1]).value_or("active");
  st.status = status == "banned"     ? UserStatus::kBanned
              : status == "disabled" ? UserStatus::kDisabled
                                     : UserStatus::kActive;
  st.role = storage::AsText(r[2]).value_or("user") == "admin" ? Role::kAdmin : Role::kUser;
  return std::optional<SessionState>{st};
}

Result<std::vector<Device>> SessionStore::Devices(const std::string& user_id) {
  auto rows = db_.Query(
      std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE user_id = ? ORDER BY last_seen_at DESC, id",
      {user_id});
  if (!rows) return rows.error();
  std::vector<Device> out;
  for (const auto& r : rows->rows) out.push_back(DeviceFromRow(r));
  return out;
}

Result<std::vector<Session>> SessionStore::ActiveSessions(const std::string& user_id) {
  auto rows = db_.Query(
      "SELECT s.id, s.user_id, s.device_id, d.name, d.type, s.ip_address, s.user_agent, s.country, s.city,"
      " s.created_at, s.last_activity_at FROM sessions s LEFT JOIN devices d ON d.id = s.device_id"
      " WHERE s.user_id = ? AND s.revoked_at IS NULL ORDER BY s.last_activity_at DESC, s.id",
      {user_id});
  if (!rows) return rows.error();
  std::vector<Session> out;
  for (const auto& r : rows->rows) {
    Session s;
    s.id = storage::AsText(r[0]).value_or("");
    s.user_id = storage::AsText(r[1]).value_or("");
    s.device_id = storage::AsText(r[2]);
    s.device_name = storage::AsText(r[3]);
    s.device_type = storage::AsText(r[4]);
    s.ip_address = storage::AsText(r[5]).value_or("");
    s.user_agent = storage::AsText(r[6]).value_or("");
    s.country = storage::AsText(r[7]);
    s.city = storage::AsText(r[8]);
    s.created_at = storage::AsText(r[9]).value_or("");
    s.last_activity_at = storage::AsText(r[10]).value_or("");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace atrium::core::identity
