#pragma once
// The media worker (tools/media-worker/worker.mjs: Mermaid in headless Chromium, MathJax
// in Node) as child processes of the server, spoken to in newline-delimited JSON.
//
// NodeMediaWorker is one child: `node <dir>/worker.mjs`, forked and exec'd in its own
// process group with no network (a new network namespace; it is never started without
// one), RLIMIT_CPU of an hour and no core files, in a private temporary directory (its
// HOME and TMPDIR, removed when the child goes), stderr kept in a bounded log. Its first
// line says what works ({"ready": true, "mermaid": bool, "tex": bool}).
//
// A request waits for its answer up to its deadline; past it the whole process group is
// killed and the next request starts a fresh child. So does a child that died, wrote a
// line longer than the cap, or answered out of turn. Starting a child (Chromium takes a
// few seconds) has its own bound, `startup_timeout`, not the request's deadline: a
// request must not fail because another one's timeout cost the worker its process.
//
// NodeMediaWorkerPool holds N of them and lends each to one request at a time: a request
// waits for a free worker up to its deadline. Thread-safe.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace atrium::engines::media {

struct MediaWorkerOptions {
  std::string worker_dir;  // holds worker.mjs and its node_modules
  std::string node = "/usr/bin/node";
  std::string chromium;     // empty: the worker's choice (Debian's chromium)
  std::size_t workers = 1;  // child processes in the pool
  std::chrono::milliseconds startup_timeout{60000};
  std::size_t max_line_bytes = std::size_t{16} << 20;  // a longer answer is kRenderTooLarge
  std::size_t max_log_bytes = 64 * 1024;               // the stderr kept (the newest part)
};

// What the child's ready line said.
struct MediaWorkerCapabilities {
  bool mermaid = false;
  bool tex = false;
};

class NodeMediaWorker {
 public:
  using Clock = std::chrono::steady_clock;

  explicit NodeMediaWorker(MediaWorkerOptions options);
  ~NodeMediaWorker();  // closes stdin, gives the child 1 s, then kills its group
  NodeMediaWorker(const NodeMediaWorker&) = delete;
  NodeMediaWorker& operator=(const NodeMediaWorker&) = delete;

  // Starts the child unless it runs, and reads its ready line (startup_timeout).
  // kUnavailable + kRendererUnavailable when node or the worker cannot start.
  core::Result<MediaWorkerCapabilities> Start();

  // Sends `request` (a JSON object; its "id" is set here) and returns the answer's line,
  // started first if need be. kUnavailable + kRenderTimeout past `deadline` (the child
  // is killed), kResourceExhausted + kRenderTooLarge for a line over the cap,
  // kUnavailable + kRendererUnavailable when the child died or spoke out of turn.
  core::Result<std::string> Call(std::string_view request, Clock::time_point deadline);

  bool running() const;
  pid_t pid() const;
  int starts() const;       // children started so far (restarts show here)
  std::string log() const;  // the newest stderr of the child

 private:
  core::Result<MediaWorkerCapabilities> StartLocked();
  // The next line from stdout, or an error past `deadline` (the child is then killed).
  core::Result<std::string> ReadLineLocked(Clock::time_point deadline);
  core::Result<void> WriteAllLocked(std::string_view bytes);
  void DrainStderrLocked();
  void StopLocked(bool gracefully);
  bool ExitedLocked() const;  // the child is gone (not reaped yet)

  const MediaWorkerOptions options_;
  mutable std::mutex mu_;
  pid_t pid_ = -1;
  int in_fd_ = -1;   // the child's stdin
  int out_fd_ = -1;  // its stdout
  int err_fd_ = -1;  // its stderr
  std::string temp_dir_;
  std::string pending_;  // bytes read past the last line
  std::string log_;
  MediaWorkerCapabilities caps_;
  long long next_id_ = 1;
  int starts_ = 0;
  std::string last_exit_;  // how the last child ended, for messages
};

class NodeMediaWorkerPool {
 public:
  using Clock = NodeMediaWorker::Clock;

  explicit NodeMediaWorkerPool(MediaWorkerOptions options);
  ~NodeMediaWorkerPool();
  NodeMediaWorkerPool(const NodeMediaWorkerPool&) = delete;
  NodeMediaWorkerPool& operator=(const NodeMediaWorkerPool&) = delete;

  // What a worker of this pool can do: the first call starts one worker and keeps its
  // ready line (the probe); later calls answer from it. kUnavailable when none starts.
  core::Result<MediaWorkerCapabilities> Probe();

  // Call() on a free worker; waits for one up to `deadline` (then kUnavailable +
  // kRenderTimeout).
  core::Result<std::string> Call(std::string_view request, Clock::time_point deadline);

  std::size_t size() const { return workers_.size(); }
  int starts() const;  // children started by every worker, for tests and diagnostics
  std::string log() const;

 private:
  // A free worker's index, marked busy; -1 past `deadline`.
  int Acquire(Clock::time_point deadline);
  void Release(int slot);

  const MediaWorkerOptions options_;
  std::mutex probe_mu_;  // one probe at a time (it may take startup_timeout)
  std::vector<std::unique_ptr<NodeMediaWorker>> workers_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::vector<bool> busy_;
  bool probed_ = false;
  core::Result<MediaWorkerCapabilities> probe_{MediaWorkerCapabilities{}};
};

}  // namespace atrium::engines::media
