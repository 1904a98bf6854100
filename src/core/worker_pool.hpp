#pragma once
// A fixed set of threads for blocking work (database, hashing, parsing) so that the
// I/O threads never wait on it. The queue is bounded: when it is full, TrySubmit
// refuses and the caller answers "busy" instead of queueing without limit.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace atrium::core {

class WorkerPool {
 public:
  using Task = std::function<void()>;

  // Starts `threads` workers (at least one). `max_queued` bounds tasks waiting to run.
  WorkerPool(std::size_t threads, std::size_t max_queued);
  // Runs every task already accepted, then joins the workers (Shutdown).
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Thread-safe. Returns false, without running `task`, when the queue is full or the
  // pool is shutting down. A task must not throw; exceptions escaping it terminate.
  [[nodiscard]] bool TrySubmit(Task task);

  // Refuses new tasks, runs every task already accepted, then joins the workers. For
  // shutdown: afterwards no task of this pool is running, so what the tasks use (an
  // I/O loop they post to) may go. Idempotent; never call it from one of its own tasks.
  void Shutdown();

  std::size_t queued() const;
  std::size_t thread_count() const { return threads_.size(); }

 private:
  void Loop();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  std::size_t max_queued_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace atrium::core
