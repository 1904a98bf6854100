#include "storage/sql/sql_instance_repository.hpp"

#include "storage/sql/sql_unit_of_work.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

using core::instances::Instance;
using TimePoint = std::chrono::system_clock::time_point;

namespace {

std::int64_t Ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint FromMs(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

}  // namespace

core::Result<void> SqlInstanceRepository::Register(core::persistence::UnitOfWork& uow, const Instance& instance) {
  auto stored = Tx(uow).Execute(
      "INSERT INTO instances(id, host, pid, shared_state, started_ms, heartbeat_ms) VALUES (?,?,?,?,?,?)"
      " ON CONFLICT(id) DO UPDATE SET host = excluded.host, pid = excluded.pid, shared_state = excluded.shared_state,"
      " started_ms = excluded.started_ms, heartbeat_ms = excluded.heartbeat_ms",
      Params{instance.id, instance.host, instance.pid, Bool(instance.shared_state), Ms(instance.started_at),
             Ms(instance.heartbeat_at)});
  if (!stored) return stored.error();
  return core::Ok{};
}

core::Result<bool> SqlInstanceRepository::Heartbeat(core::persistence::UnitOfWork& uow, const std::string& id,
                                                    TimePoint now) {
  auto changed = Tx(uow).Execute("UPDATE instances SET heartbeat_ms = ? WHERE id = ?", Params{Ms(now), id});
  if (!changed) return changed.error();
  return *changed > 0;
}

core::Result<void> SqlInstanceRepository::Deregister(core::persistence::UnitOfWork& uow, const std::string& id) {
  auto removed = Tx(uow).Execute("DELETE FROM instances WHERE id = ?", Params{id});
  if (!removed) return removed.error();
  return core::Ok{};
}

core::Result<std::int64_t> SqlInstanceRepository::PruneDead(core::persistence::UnitOfWork& uow, TimePoint before) {
  return Tx(uow).Execute("DELETE FROM instances WHERE heartbeat_ms < ?", Params{Ms(before)});
}

core::Result<std::vector<Instance>> SqlInstanceRepository::List() {
  auto rows = db_.Query(
      "SELECT id, host, pid, shared_state, started_ms, heartbeat_ms FROM instances ORDER BY started_ms, id");
  if (!rows) return rows.error();
  std::vector<Instance> out;
  for (const auto& r : rows->rows) {
    out.push_back(Instance{Text(r[0]), Text(r[1]), Int(r[2]), AsBool(r[3]), FromMs(Int(r[4])), FromMs(Int(r[5]))});
  }
  return out;
}

}  // namespace atrium::storage::sql
