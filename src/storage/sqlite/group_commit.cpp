#include "storage/sqlite/group_commit.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

namespace atrium::storage::sqlite {

namespace {

// One name serves every body: each savepoint is released before the next is opened.
constexpr std::string_view kSavepoint = "SAVEPOINT atrium_body";
constexpr std::string_view kRelease = "RELEASE atrium_body";
constexpr std::string_view kRollbackTo = "ROLLBACK TO atrium_body";

}  // namespace

struct GroupCommitter::Request {
  const Body* body;
  core::Result<void> result;     // the caller's answer, once `done`
  std::exception_ptr exception;  // the body threw: rethrown on the caller's thread
  bool kept = false;             // the body's writes are in the open transaction
  bool done = false;             // guarded by mu_
};

enum class GroupCommitter::BodyOutcome { kKept, kUndone, kLost };

GroupCommitter::GroupCommitter(SqliteConnection& writer, std::mutex& write_mu, std::size_t max_batch)
    : writer_(writer), write_mu_(write_mu), max_batch_(std::max<std::size_t>(max_batch, 1)) {}

GroupCommitter::~GroupCommitter() {
  std::unique_lock lock(mu_);
  closing_ = true;
  cv_.wait(lock, [this] { return in_flight_ == 0; });
}

GroupCommitStats GroupCommitter::stats() const {
  std::lock_guard lock(mu_);
  GroupCommitStats out = stats_;
  out.waiting = static_cast<std::int64_t>(queue_.size());
  return out;
}

core::Result<void> GroupCommitter::Run(const Body& body) {
  Request request{&body};
  std::unique_lock lock(mu_);
  if (closing_) return core::Error(core::ErrorCode::kUnavailable, "database unavailable", "database closing");
  ++in_flight_;
  queue_.push_back(&request);
  while (!request.done) {
    if (leading_) {
      cv_.wait(lock);
      continue;
    }
    leading_ = true;
    const auto n = static_cast<std::ptrdiff_t>(std::min(max_batch_, queue_.size()));
    std::vector<Request*> batch(queue_.begin(), queue_.begin() + n);
    queue_.erase(queue_.begin(), queue_.begin() + n);
    lock.unlock();
    const BatchOutcome outcome = RunBatch(batch);
    lock.lock();
    const auto settled = static_cast<std::ptrdiff_t>(outcome.settled);
    for (auto it = batch.begin(); it != batch.begin() + settled; ++it) (*it)->done = true;
    queue_.insert(queue_.begin(), batch.begin() + settled, batch.end());  // first in line again
    stats_.transactions += settled;
    if (outcome.committed) ++stats_.commits;
    leading_ = false;
    cv_.notify_all();
  }
  if (--in_flight_ == 0 && closing_) cv_.notify_all();
  lock.unlock();
  if (request.exception) std::rethrow_exception(request.exception);
  return std::move(request.result);
}

GroupCommitter::BatchOutcome GroupCommitter::RunBatch(std::span<Request* const> batch) noexcept {
  std::lock_guard lock(write_mu_);
  // IMMEDIATE takes the write lock up front, so a transaction never fails half-way
  // because another process started writing first.
  if (auto r = writer_.ExecuteScript("BEGIN IMMEDIATE"); !r) {
    for (Request* q : batch) q->result = r.error();
    return {batch.size(), false};
  }
  bool any_kept = false;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Request& q = *batch[i];
    const BodyOutcome outcome = RunInSavepoint(q);
    if (outcome == BodyOutcome::kKept) any_kept = true;
    if (outcome != BodyOutcome::kLost) continue;
    // The transaction is gone (SQLite rolled it back on an I/O error, a full disk, ...)
    // or a body's writes could not be undone: nothing of this batch so far is stored.
    // The bodies not yet run go back to the queue for the next batch.
    if (writer_.InTransaction()) (void)writer_.ExecuteScript("ROLLBACK");  // the loss is the error to report
    const core::Error lost = q.result.ok()
                                 ? core::Error(core::ErrorCode::kUnavailable, "database unavailable",
                                               "transaction rolled back by the database")
                                 : core::Error(q.result.error().code(), q.result.error().safe_message(),
                                               "transaction rolled back: " + q.result.error().internal_message());
    for (std::size_t k = 0; k <= i; ++k) {
      if (batch[k]->kept || (k == i && q.result.ok() && !q.exception)) batch[k]->result = lost;
    }
    return {i + 1, false};
  }
  if (!any_kept) {
    (void)writer_.ExecuteScript("ROLLBACK");  // nothing to store; each body has its own error
    return {batch.size(), false};
  }
  if (auto r = writer_.ExecuteScript("COMMIT"); !r) {
    (void)writer_.ExecuteScript("ROLLBACK");  // the COMMIT's error is the one to report
    for (Request* q : batch) {
      if (q->kept) q->result = r.error();
    }
    return {batch.size(), false};
  }
  return {batch.size(), true};
}

GroupCommitter::BodyOutcome GroupCommitter::RunInSavepoint(Request& q) {
  if (auto r = writer_.ExecuteScript(kSavepoint); !r) {
    q.result = r.error();
    return writer_.InTransaction() ? BodyOutcome::kUndone : BodyOutcome::kLost;
  }
  try {
    q.result = (*q.body)(writer_);
  } catch (...) {
    q.exception = std::current_exception();
  }
  if (!writer_.InTransaction()) return BodyOutcome::kLost;
  if (q.result.ok() && !q.exception) {
    auto released = writer_.ExecuteScript(kRelease);
    if (released) {
      q.kept = true;
      return BodyOutcome::kKept;
    }
    q.result = released.error();
  }
  // The body's own error (or exception) is what its caller gets; if its writes cannot
  // be undone, the whole transaction is.
  if (!writer_.ExecuteScript(kRollbackTo) || !writer_.ExecuteScript(kRelease)) return BodyOutcome::kLost;
  return BodyOutcome::kUndone;
}

}  // namespace atrium::storage::sqlite
