#include "storage/sql/sql_client_log_repository.hpp"

#include "storage/sql/sql_unit_of_work.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

using core::logs::ClientLogEntry;

core::Result<bool> SqlClientLogRepository::InsertNew(core::persistence::UnitOfWork& uow, const ClientLogEntry& entry,
                                                     const std::string& received_at) {
  auto inserted = Tx(uow).Execute(
      "INSERT INTO client_logs(id, timestamp, level, label, message, file, function, line, metadata,"
      " client_id, client_name, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING",
      Params{entry.id, entry.timestamp, entry.level, entry.label, entry.message, Opt(entry.file), Opt(entry.function),
             Opt(entry.line), Opt(entry.metadata_json), Opt(entry.client_id), Opt(entry.client_name), received_at});
  if (!inserted) return inserted.error();
  return *inserted > 0;
}

core::Result<void> SqlClientLogRepository::KeepNewest(core::persistence::UnitOfWork& uow, std::int64_t keep) {
  auto pruned =
      Tx(uow).Execute("DELETE FROM client_logs WHERE seq <= (SELECT MAX(seq) FROM client_logs) - ?", Params{keep});
  if (!pruned) return pruned.error();
  return core::Ok{};
}

core::Result<core::logs::ClientLogPage> SqlClientLogRepository::List(const core::logs::ClientLogQuery& query) {
  std::string where = " WHERE 1=1";
  Params params;
  if (query.level) {
    where += " AND level = ?";
    params.emplace_back(*query.level);
  }
  if (query.label) {
    where += " AND label = ?";
    params.emplace_back(*query.label);
  }
  if (query.since) {
    where += " AND timestamp >= ?";
    params.emplace_back(*query.since);
  }
  auto count = db_.Query("SELECT COUNT(*) FROM client_logs" + where, params);
  if (!count) return count.error();
  core::logs::ClientLogPage page;
  page.total = count->empty() ? 0 : Int(count->rows[0][0]);

  params.emplace_back(static_cast<std::int64_t>(query.limit));
  auto rows = db_.Query(
      "SELECT id, timestamp, level, label, message, file, function, line, metadata, client_id, client_name"
      " FROM client_logs" +
          where + " ORDER BY seq DESC LIMIT ?",
      params);
  if (!rows) return rows.error();
  for (const auto& r : rows->rows) {
    ClientLogEntry e;
    e.id = Text(r[0]);
    e.timestamp = Text(r[1]);
    e.level = Text(r[2]);
    e.label = Text(r[3]);
    e.message = Text(r[4]);
    e.file = AsText(r[5]);
    e.function = AsText(r[6]);
    e.line = AsInt(r[7]);
    e.metadata_json = AsText(r[8]);
    e.client_id = AsText(r[9]);
    e.client_name = AsText(r[10]);
    page.logs.push_back(std::move(e));
  }
  return page;
}

core::Result<std::int64_t> SqlClientLogRepository::Count() {
  auto rows = db_.Query("SELECT COUNT(*) FROM client_logs");
  if (!rows) return rows.error();
  return rows->empty() ? 0 : Int(rows->rows[0][0]);
}

core::Result<std::int64_t> SqlClientLogRepository::Clear(core::persistence::UnitOfWork& uow) {
  return Tx(uow).Execute("DELETE FROM client_logs");
}

}  // namespace atrium::storage::sql
