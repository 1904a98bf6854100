#include "storage/sql/sql_session_repository.hpp"

#include "storage/sql/sql_unit_of_work.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

using core::Error;
using core::ErrorCode;
using core::Ok;
using core::Result;
using core::identity::Device;
using core::identity::DeviceInfo;
using core::identity::RefreshRecord;
using core::identity::Role;
using core::identity::Session;
using core::identity::UserStatus;
using core::persistence::UnitOfWork;

namespace {


Device DeviceFromRow(const std::vector<Value>& r) {
  Device d;
  d.id = AsText(r[0]).value_or("");
  d.user_id = AsText(r[1]).value_or("");
  d.info.fingerprint = AsText(r[2]).value_or("");
  d.info.name = AsText(r[3]).value_or("");
  d.info.type = AsText(r[4]).value_or("");
  d.info.model = AsText(r[5]).value_or("");
  d.info.os_version = AsText(r[6]).value_or("");
  d.info.app_version = AsText(r[7]).value_or("");
  d.trusted = AsInt(r[8]).value_or(0) != 0;
  d.last_seen_at = AsText(r[9]).value_or("");
  d.created_at = AsText(r[10]).value_or("");
  return d;
}

constexpr const char* kDeviceColumns =
    "id, user_id, fingerprint, name, type, model, os_version, app_version, is_trusted, last_seen_at, created_at";

}  // namespace

Result<Device> SqlSessionRepository::UpsertDevice(UnitOfWork& uow, const std::string& user_id, const DeviceInfo& info,
                                          const std::string& new_id, const std::string& now) {
  auto r = Tx(uow).Execute(
      "INSERT INTO devices(id, user_id, fingerprint, name, type, model, os_version, app_version, last_seen_at,"
      " created_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(user_id, fingerprint) DO UPDATE SET"
      " name = excluded.name, type = excluded.type, model = excluded.model, os_version = excluded.os_version,"
      " app_version = excluded.app_version, last_seen_at = excluded.last_seen_at",
      Params{new_id, user_id, info.fingerprint, info.name, info.type, info.model, info.os_version, info.app_version,
             now, now});
  if (!r) return r.error();
  auto rows = Tx(uow).Query(std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE user_id = ? AND fingerprint = ?",
                       {user_id, info.fingerprint});
  if (!rows) return rows.error();
  if (rows->empty()) return Error(ErrorCode::kInternal, "device vanished");
  return DeviceFromRow(rows->rows[0]);
}

Result<void> SqlSessionRepository::InsertSession(UnitOfWork& uow, const Session& s) {
  auto r = Tx(uow).Execute(
      "INSERT INTO sessions(id, user_id, device_id, ip_address, user_agent, country, city, created_at,"
      " last_activity_at) VALUES (?,?,?,?,?,?,?,?,?)",
      Params{s.id, s.user_id, Opt(s.device_id), s.ip_address, s.user_agent, Opt(s.country), Opt(s.city), s.created_at,
             s.last_activity_at});
  if (!r) return r.error();
  return Ok{};
}

Result<void> SqlSessionRepository::InsertRefresh(UnitOfWork& uow, const std::string& token_hash,
                                         const std::string& session_id, const std::string& user_id,
                                         std::int64_t issued_at, std::int64_t family_expires_at) {
  auto r = Tx(uow).Execute(
      "INSERT INTO refresh_tokens(token_hash, session_id, user_id, issued_at, family_expires_at) VALUES (?,?,?,?,?)",
      Params{token_hash, session_id, user_id, issued_at, family_expires_at});
  if (!r) return r.error();
  return Ok{};
}

Result<std::optional<RefreshRecord>> SqlSessionRepository::FindRefresh(UnitOfWork& uow, const std::string& token_hash) {
  auto rows = Tx(uow).Query(
      "SELECT t.session_id, t.user_id, t.family_expires_at, CASE WHEN t.used_at IS NULL THEN 0 ELSE 1 END,"
      " CASE WHEN s.revoked_at IS NULL THEN 0 ELSE 1 END"
      " FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = ?" +
          flavor_.lock_rows,
      {token_hash});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<RefreshRecord>{};
  const auto& r = rows->rows[0];
  return std::optional<RefreshRecord>{RefreshRecord{
      AsText(r[0]).value_or(""), AsText(r[1]).value_or(""), AsInt(r[2]).value_or(0),
      AsInt(r[3]).value_or(0) != 0, AsInt(r[4]).value_or(0) != 0}};
}

Result<bool> SqlSessionRepository::MarkRefreshUsed(UnitOfWork& uow, const std::string& token_hash, std::int64_t now) {
  auto r =
      Tx(uow).Execute("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", {now, token_hash});
  if (!r) return r.error();
  return *r == 1;
}

Result<void> SqlSessionRepository::TouchSession(UnitOfWork& uow, const std::string& session_id, const std::string& now) {
  auto r = Tx(uow).Execute("UPDATE sessions SET last_activity_at = ? WHERE id = ?", {now, session_id});
  if (!r) return r.error();
  return Ok{};
}

Result<std::int64_t> SqlSessionRepository::RevokeSession(UnitOfWork& uow, const std::string& user_id,
                                                 const std::string& session_id, const std::string& now) {
  return Tx(uow).Execute("UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                    {now, session_id, user_id});
}

Result<std::int64_t> SqlSessionRepository::RevokeAllSessions(UnitOfWork& uow, const std::string& user_id,
                                                     const std::optional<std::string>& except_session,
                                                     const std::string& now) {
  return Tx(uow).Execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id IS DISTINCT FROM ?",
                    {now, user_id, Opt(except_session)});
}

Result<std::vector<std::string>> SqlSessionRepository::RevokeDeviceSessions(UnitOfWork& uow, const std::string& user_id,
                                                                    const std::string& device_id,
                                                                    const std::string& now) {
  // One statement: the sessions it returns are exactly the ones it revoked.
  auto rows = Tx(uow).Query(
      "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND device_id = ? AND revoked_at IS NULL RETURNING id",
      {now, user_id, device_id});
  if (!rows) return rows.error();
  std::vector<std::string> ids;
  for (const auto& row : rows->rows) ids.push_back(AsText(row[0]).value_or(""));
  return ids;
}

Result<bool> SqlSessionRepository::DeleteDevice(UnitOfWork& uow, const std::string& user_id,
                                        const std::string& device_id) {
  auto r = Tx(uow).Execute("DELETE FROM devices WHERE id = ? AND user_id = ?", {device_id, user_id});
  if (!r) return r.error();
  return *r == 1;
}

Result<std::optional<SqlSessionRepository::SessionState>> SqlSessionRepository::State(const std::string& user_id,
                                                                      const std::string& session_id) {
  auto rows = db_.Query(
      "SELECT CASE WHEN s.revoked_at IS NULL THEN 0 ELSE 1 END, u.status, u.role FROM sessions s JOIN users u ON u.id = s.user_id"
      " WHERE s.id = ? AND s.user_id = ?",
      {session_id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<SessionState>{};
  const auto& r = rows->rows[0];
  SessionState st;
  st.revoked = AsInt(r[0]).value_or(1) != 0;
  const std::string status = AsText(r[1]).value_or("active");
  st.status = status == "banned"     ? UserStatus::kBanned
              : status == "disabled" ? UserStatus::kDisabled
                                     : UserStatus::kActive;
  st.role = AsText(r[2]).value_or("user") == "admin" ? Role::kAdmin : Role::kUser;
  return std::optional<SessionState>{st};
}

Result<std::vector<Device>> SqlSessionRepository::Devices(const std::string& user_id) {
  auto rows = db_.Query(
      std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE user_id = ? ORDER BY last_seen_at DESC, id",
      {user_id});
  if (!rows) return rows.error();
  std::vector<Device> out;
  for (const auto& r : rows->rows) out.push_back(DeviceFromRow(r));
  return out;
}

Result<std::vector<Session>> SqlSessionRepository::ActiveSessions(const std::string& user_id) {
  auto rows = db_.Query(
      "SELECT s.id, s.user_id, s.device_id, d.name, d.type, s.ip_address, s.user_agent, s.country, s.city,"
      " s.created_at, s.last_activity_at FROM sessions s LEFT JOIN devices d ON d.id = s.device_id"
      " WHERE s.user_id = ? AND s.revoked_at IS NULL ORDER BY s.last_activity_at DESC, s.id",
      {user_id});
  if (!rows) return rows.error();
  std::vector<Session> out;
  for (const auto& r : rows->rows) {
    Session s;
    s.id = AsText(r[0]).value_or("");
    s.user_id = AsText(r[1]).value_or("");
    s.device_id = AsText(r[2]);
    s.device_name = AsText(r[3]);
    s.device_type = AsText(r[4]);
    s.ip_address = AsText(r[5]).value_or("");
    s.user_agent = AsText(r[6]).value_or("");
    s.country = AsText(r[7]);
    s.city = AsText(r[8]);
    s.created_at = AsText(r[9]).value_or("");
    s.last_activity_at = AsText(r[10]).value_or("");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace atrium::storage::sql
