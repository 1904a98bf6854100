#pragma once
// JobRepository in portable SQL (table jobs; times in milliseconds since the epoch).
// The claim's row lock is the flavor's skip_locked clause.

#include "core/jobs/job_repository.hpp"
#include "storage/database.hpp"
#include "storage/sql/sql_flavor.hpp"

namespace atrium::storage::sql {

class SqlJobRepository final : public core::jobs::JobRepository {
 public:
  SqlJobRepository(Database& db, SqlFlavor flavor) : db_(db), flavor_(std::move(flavor)) {}

  core::Result<core::jobs::EnqueueOutcome> Enqueue(core::persistence::UnitOfWork& uow, const core::jobs::NewJob& job,
                                                   core::jobs::TimePoint now) override;
  core::Result<std::vector<core::jobs::Job>> Claim(core::persistence::UnitOfWork& uow,
                                                   const core::jobs::ClaimRequest& request) override;
  core::Result<bool> ExtendLease(core::persistence::UnitOfWork& uow, const std::string& id, const std::string& owner,
                                 core::jobs::TimePoint lease_until, core::jobs::TimePoint now) override;
  core::Result<bool> ReportProgress(core::persistence::UnitOfWork& uow, const std::string& id,
                                    const std::string& owner, const core::jobs::JobProgress& progress,
                                    core::jobs::TimePoint now) override;
  core::Result<bool> Complete(core::persistence::UnitOfWork& uow, const std::string& id, const std::string& owner,
                              const std::string& result, core::jobs::TimePoint now) override;
  core::Result<std::optional<core::jobs::JobState>> Fail(core::persistence::UnitOfWork& uow, const std::string& id,
                                                         const std::string& owner, const std::string& error,
                                                         std::optional<core::jobs::TimePoint> retry_at,
                                                         core::jobs::TimePoint now) override;
  core::Result<bool> Release(core::persistence::UnitOfWork& uow, const std::string& id, const std::string& owner,
                             core::jobs::TimePoint now) override;
  core::Result<bool> Cancel(core::persistence::UnitOfWork& uow, const std::string& id,
                            core::jobs::TimePoint now) override;
  core::Result<std::int64_t> ReclaimExpired(core::persistence::UnitOfWork& uow, core::jobs::TimePoint now) override;
  core::Result<std::optional<core::jobs::Job>> Get(const std::string& id) override;
  core::Result<std::vector<core::jobs::Job>> List(const core::jobs::JobFilter& filter) override;

 private:
  Database& db_;
  SqlFlavor flavor_;
};

}  // namespace atrium::storage::sql
