#include "storage/sqlite/sqlite_database.hpp"

namespace atrium::storage::sqlite {

core::Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const SqliteOptions& options) {
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase());
  auto writer = SqliteConnection::Open(options.path, /*read_only=*/false);
  if (!writer) return writer.error();
  db->writer_ = std::move(writer).value();
  if (options.group_commit) {
    db->committer_ = std::make_unique<GroupCommitter>(*db->writer_, db->write_mu_, options.max_batch);
  }
  db->shared_writer_ = options.path == ":memory:" || options.readers <= 0;
  if (!db->shared_writer_) {
    for (int i = 0; i < options.readers; ++i) {
      auto reader = SqliteConnection::Open(options.path, /*read_only=*/true);
      if (!reader) return reader.error();
      db->readers_.push_back(std::move(reader).value());
    }
  }
  return db;
}

std::unique_ptr<SqliteConnection> SqliteDatabase::AcquireReader() {
  std::unique_lock lock(read_mu_);
  read_cv_.wait(lock, [this] { return !readers_.empty(); });
  auto conn = std::move(readers_.back());
  readers_.pop_back();
  return conn;
}

void SqliteDatabase::ReleaseReader(std::unique_ptr<SqliteConnection> conn) {
  {
    std::lock_guard lock(read_mu_);
    readers_.push_back(std::move(conn));
  }
  read_cv_.notify_one();
}

core::Result<Rows> SqliteDatabase::Query(std::string_view sql, const Params& params) {
  if (shared_writer_) {
    std::lock_guard lock(write_mu_);
    return writer_->Query(sql, params);
  }
  auto conn = AcquireReader();
  auto result = conn->Query(sql, params);
  ReleaseReader(std::move(conn));
  return result;
}

core::Result<std::int64_t> SqliteDatabase::Execute(std::string_view sql, const Params& params) {
  if (committer_ == nullptr) {
    std::lock_guard lock(write_mu_);
    ++alone_stats_.transactions;
    auto changed = writer_->Execute(sql, params);
    if (changed) ++alone_stats_.commits;
    return changed;
  }
  std::int64_t changed = 0;
  auto done = committer_->Run([&](Executor& tx) -> core::Result<void> {
    auto r = tx.Execute(sql, params);
    if (!r) return r.error();
    changed = *r;
    return core::Ok{};
  });
  if (!done) return done.error();
  return changed;
}

core::Result<void> SqliteDatabase::Transact(const std::function<core::Result<void>(Executor&)>& body) {
  if (committer_ != nullptr) return committer_->Run(body);
  return TransactAlone(body);
}

GroupCommitStats SqliteDatabase::write_stats() const {
  if (committer_ != nullptr) return committer_->stats();
  std::lock_guard lock(write_mu_);
  return alone_stats_;
}

core::Result<void> SqliteDatabase::TransactAlone(const std::function<core::Result<void>(Executor&)>& body) {
  std::lock_guard lock(write_mu_);
  ++alone_stats_.transactions;
  // IMMEDIATE takes the write lock up front, so a transaction never fails half-way
  // because another process started writing first.
  if (auto r = writer_->ExecuteScript("BEGIN IMMEDIATE"); !r) return r.error();
  core::Result<void> result = [&]() -> core::Result<void> {
    try {
      return body(*writer_);
    } catch (...) {
      (void)writer_->ExecuteScript("ROLLBACK");  // the exception is the error that matters
      throw;
    }
  }();
  if (!result) {
    (void)writer_->ExecuteScript("ROLLBACK");  // the body's error is the one to report
    return result;
  }
  if (auto r = writer_->ExecuteScript("COMMIT"); !r) {
    (void)writer_->ExecuteScript("ROLLBACK");
    return r.error();
  }
  ++alone_stats_.commits;
  return core::Ok{};
}

core::Result<void> SqliteDatabase::ExecuteScript(Executor& tx, std::string_view script) {
  // Only the writer runs scripts, and only inside a Transact body, which runs while
  // write_mu_ is held (by the batch's leader when group commit is on).
  auto* conn = dynamic_cast<SqliteConnection*>(&tx);
  if (conn == nullptr) return core::Error(core::ErrorCode::kInternal, "database error", "foreign executor");
  return conn->ExecuteScript(script);
}

core::Result<void> SqliteDatabase::Ping() {
  auto r = Query("SELECT 1");
  if (!r) return r.error();
  return core::Ok{};
}

}  // namespace atrium::storage::sqlite
