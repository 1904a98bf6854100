#include "storage/sql/sql_job_repository.hpp"

#include <algorithm>

#include "storage/sql/sql_unit_of_work.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

using core::jobs::Job;
using core::jobs::JobState;
using core::jobs::TimePoint;

namespace {

constexpr const char* kColumns =
    "id, kind, payload, owner, dedupe_key, state, attempts, max_attempts, progress_done, progress_total,"
    " progress_message, result, error, run_after_ms, lease_owner, lease_expires_ms, created_ms, updated_ms,"
    " started_ms, finished_ms";

std::int64_t Ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint FromMs(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

std::optional<TimePoint> OptTime(const Value& v) {
  auto ms = AsInt(v);
  if (!ms) return std::nullopt;
  return FromMs(*ms);
}

Value StateValue(JobState state) { return Value{std::string(core::jobs::JobStateName(state))}; }

Job JobFrom(const std::vector<Value>& r) {
  Job j;
  j.id = Text(r[0]);
  j.kind = Text(r[1]);
  j.payload = Text(r[2]);
  j.owner = Text(r[3]);
  j.dedupe_key = AsText(r[4]);
  // The schema's CHECK admits only known names.
  j.state = core::jobs::JobStateFromName(Text(r[5])).value_or(JobState::kFailed);
  j.attempts = static_cast<int>(Int(r[6]));
  j.max_attempts = static_cast<int>(Int(r[7]));
  j.progress = {Int(r[8]), Int(r[9]), Text(r[10])};
  j.result = AsText(r[11]);
  j.error = AsText(r[12]);
  j.run_after = FromMs(Int(r[13]));
  j.lease_owner = AsText(r[14]);
  j.lease_expires_at = OptTime(r[15]);
  j.created_at = FromMs(Int(r[16]));
  j.updated_at = FromMs(Int(r[17]));
  j.started_at = OptTime(r[18]);
  j.finished_at = OptTime(r[19]);
  return j;
}

template <class Queryable>
core::Result<std::optional<Job>> FindBy(Queryable& q, const char* column, const std::string& value) {
  auto rows = q.Query(std::string("SELECT ") + kColumns + " FROM jobs WHERE " + column + " = ?", Params{value});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Job>{};
  return std::optional<Job>{JobFrom(rows->rows[0])};
}

core::Result<bool> Changed(const core::Result<std::int64_t>& changed) {
  if (!changed) return changed.error();
  return *changed > 0;
}

}  // namespace

core::Result<core::jobs::EnqueueOutcome> SqlJobRepository::Enqueue(core::persistence::UnitOfWork& uow,
                                                                    const core::jobs::NewJob& job, TimePoint now) {
  Executor& tx = Tx(uow);
  auto inserted = tx.Execute(
      "INSERT INTO jobs(id, kind, payload, owner, dedupe_key, state, attempts, max_attempts, run_after_ms,"
      " created_ms, updated_ms) VALUES (?,?,?,?,?,'queued',0,?,?,?,?) ON CONFLICT(dedupe_key) DO NOTHING",
      Params{job.id, job.kind, job.payload, job.owner, Opt(job.dedupe_key),
             std::int64_t{std::max(1, job.max_attempts)}, Ms(job.run_after), Ms(now), Ms(now)});
  if (!inserted) return inserted.error();
  const bool created = *inserted > 0;
  auto found = created || !job.dedupe_key ? FindBy(tx, "id", job.id) : FindBy(tx, "dedupe_key", *job.dedupe_key);
  if (!found) return found.error();
  if (!found->has_value()) {
    return core::Error(core::ErrorCode::kInternal, "The job could not be stored", "enqueued job " + job.id + " not found");
  }
  return core::jobs::EnqueueOutcome{std::move(**found), created};
}

core::Result<std::vector<Job>> SqlJobRepository::Claim(core::persistence::UnitOfWork& uow,
                                                       const core::jobs::ClaimRequest& request) {
  std::vector<Job> claimed;
  if (request.kinds.empty() || request.limit <= 0) return claimed;
  std::string kinds;
  Params params{request.owner, Ms(request.lease_until), Ms(request.now), Ms(request.now), Ms(request.now)};
  for (const auto& kind : request.kinds) {
    kinds += kinds.empty() ? "?" : ",?";
    params.emplace_back(kind);
  }
  params.emplace_back(std::int64_t{request.limit});
  auto rows = Tx(uow).Query(
      std::string("UPDATE jobs SET state = 'running', lease_owner = ?, lease_expires_ms = ?, attempts = attempts + 1,"
                  " started_ms = COALESCE(started_ms, ?), updated_ms = ?"
                  " WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND run_after_ms <= ? AND kind IN (") +
          kinds + ") ORDER BY run_after_ms, seq LIMIT ?" + flavor_.skip_locked + ") RETURNING " + kColumns,
      params);
  if (!rows) return rows.error();
  for (const auto& r : rows->rows) claimed.push_back(JobFrom(r));
  // RETURNING's order is the driver's: hand them out oldest due first.
  std::sort(claimed.begin(), claimed.end(), [](const Job& a, const Job& b) { return a.run_after < b.run_after; });
  return claimed;
}

core::Result<bool> SqlJobRepository::ExtendLease(core::persistence::UnitOfWork& uow, const std::string& id,
                                                 const std::string& owner, TimePoint lease_until, TimePoint now) {
  return Changed(Tx(uow).Execute(
      "UPDATE jobs SET lease_expires_ms = ?, updated_ms = ? WHERE id = ? AND state = 'running' AND lease_owner = ?",
      Params{Ms(lease_until), Ms(now), id, owner}));
}

core::Result<bool> SqlJobRepository::ReportProgress(core::persistence::UnitOfWork& uow, const std::string& id,
                                                    const std::string& owner, const core::jobs::JobProgress& progress,
                                                    TimePoint now) {
  return Changed(Tx(uow).Execute(
      "UPDATE jobs SET progress_done = ?, progress_total = ?, progress_message = ?, updated_ms = ?"
      " WHERE id = ? AND state = 'running' AND lease_owner = ?",
      Params{progress.done, progress.total, progress.message, Ms(now), id, owner}));
}

core::Result<bool> SqlJobRepository::Complete(core::persistence::UnitOfWork& uow, const std::string& id,
                                              const std::string& owner, const std::string& result, TimePoint now) {
  return Changed(Tx(uow).Execute(
      "UPDATE jobs SET state = 'succeeded', result = ?, error = NULL, lease_owner = NULL, lease_expires_ms = NULL,"
      " finished_ms = ?, updated_ms = ? WHERE id = ? AND state = 'running' AND lease_owner = ?",
      Params{result, Ms(now), Ms(now), id, owner}));
}

core::Result<std::optional<JobState>> SqlJobRepository::Fail(core::persistence::UnitOfWork& uow,
                                                             const std::string& id, const std::string& owner,
                                                             const std::string& error,
                                                             std::optional<TimePoint> retry_at, TimePoint now) {
  // With no retry time every attempt counts as the last.
  const std::int64_t retry = retry_at ? 1 : 0;
  auto rows = Tx(uow).Query(
      "UPDATE jobs SET"
      " state = CASE WHEN ? = 1 AND attempts < max_attempts THEN 'queued' ELSE 'failed' END,"
      " run_after_ms = CASE WHEN ? = 1 AND attempts < max_attempts THEN ? ELSE run_after_ms END,"
      " finished_ms = CASE WHEN ? = 1 AND attempts < max_attempts THEN NULL ELSE ? END,"
      " error = ?, lease_owner = NULL, lease_expires_ms = NULL, updated_ms = ?"
      " WHERE id = ? AND state = 'running' AND lease_owner = ? RETURNING state",
      Params{retry, retry, retry_at ? Ms(*retry_at) : Ms(now), retry, Ms(now), error, Ms(now), id, owner});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<JobState>{};
  return core::jobs::JobStateFromName(Text(rows->rows[0][0]));
}

core::Result<bool> SqlJobRepository::Release(core::persistence::UnitOfWork& uow, const std::string& id,
                                             const std::string& owner, TimePoint now) {
  return Changed(Tx(uow).Execute(
      "UPDATE jobs SET state = 'queued', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,"
      " run_after_ms = ?, lease_owner = NULL, lease_expires_ms = NULL, updated_ms = ?"
      " WHERE id = ? AND state = 'running' AND lease_owner = ?",
      Params{Ms(now), Ms(now), id, owner}));
}

core::Result<bool> SqlJobRepository::Cancel(core::persistence::UnitOfWork& uow, const std::string& id,
                                            TimePoint now) {
  return Changed(Tx(uow).Execute(
      "UPDATE jobs SET state = 'cancelled', lease_owner = NULL, lease_expires_ms = NULL, finished_ms = ?,"
      " updated_ms = ? WHERE id = ? AND state IN ('queued', 'running')",
      Params{Ms(now), Ms(now), id}));
}

core::Result<std::int64_t> SqlJobRepository::ReclaimExpired(core::persistence::UnitOfWork& uow, TimePoint now) {
  return Tx(uow).Execute(
      "UPDATE jobs SET"
      " state = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,"
      " run_after_ms = CASE WHEN attempts < max_attempts THEN ? ELSE run_after_ms END,"
      " finished_ms = CASE WHEN attempts < max_attempts THEN NULL ELSE ? END,"
      " error = 'lease expired', lease_owner = NULL, lease_expires_ms = NULL, updated_ms = ?"
      " WHERE state = 'running' AND lease_expires_ms < ?",
      Params{Ms(now), Ms(now), Ms(now), Ms(now)});
}

core::Result<std::optional<Job>> SqlJobRepository::Get(const std::string& id) { return FindBy(db_, "id", id); }

core::Result<std::vector<Job>> SqlJobRepository::List(const core::jobs::JobFilter& filter) {
  std::string where = " WHERE 1=1";
  Params params;
  if (filter.owner) {
    where += " AND owner = ?";
    params.emplace_back(*filter.owner);
  }
  if (filter.kind) {
    where += " AND kind = ?";
    params.emplace_back(*filter.kind);
  }
  if (filter.state) {
    where += " AND state = ?";
    params.push_back(StateValue(*filter.state));
  }
  params.emplace_back(std::int64_t{std::max(0, filter.limit)});
  auto rows = db_.Query(std::string("SELECT ") + kColumns + " FROM jobs" + where + " ORDER BY seq DESC LIMIT ?", params);
  if (!rows) return rows.error();
  std::vector<Job> jobs;
  for (const auto& r : rows->rows) jobs.push_back(JobFrom(r));
  return jobs;
}

}  // namespace atrium::storage::sql
