#include "engines/media/node_media_worker.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

namespace atrium::engines::media {

namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Reason;

Error Unavailable(std::string why) {
  return Error(ErrorCode::kUnavailable, "The media renderer is unavailable", std::move(why))
      .WithReason(Reason::kRendererUnavailable);
}

Error Timeout() {
  return Error(ErrorCode::kUnavailable, "Rendering took longer than its deadline").WithReason(Reason::kRenderTimeout);
}

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

int MillisUntil(NodeMediaWorker::Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - NodeMediaWorker::Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
}

// What the child writes to the status pipe when a step before execve fails.
struct ChildFailure {
  int step;
  int error;
};
enum ChildStep { kStepNetwork = 1, kStepDirectory, kStepDescriptors, kStepExec };

const char* StepName(int step) {
  switch (step) {
    case kStepNetwork:
      return "network isolation (unshare CLONE_NEWNET) failed";
    case kStepDirectory:
      return "chdir into the private directory failed";
    case kStepDescriptors:
      return "setting up stdin/stdout/stderr failed";
    case kStepExec:
      return "execve failed";
    default:
      return "the child failed";
  }
}

[[noreturn]] void ChildFail(int status_fd, int step) {
  const ChildFailure f{step, errno};
  [[maybe_unused]] auto n = ::write(status_fd, &f, sizeof f);
  ::_exit(step == kStepExec ? 127 : 126);
}

std::string DescribeExit(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended";
}

}  // namespace

// ------------------------------------------------------------------ NodeMediaWorker

NodeMediaWorker::NodeMediaWorker(MediaWorkerOptions options) : options_(std::move(options)) {}

NodeMediaWorker::~NodeMediaWorker() {
  std::lock_guard lock(mu_);
  StopLocked(true);
}

bool NodeMediaWorker::running() const {
  std::lock_guard lock(mu_);
  return pid_ > 0;
}

pid_t NodeMediaWorker::pid() const {
  std::lock_guard lock(mu_);
  return pid_;
}

int NodeMediaWorker::starts() const {
  std::lock_guard lock(mu_);
  return starts_;
}

std::string NodeMediaWorker::log() const {
  std::lock_guard lock(mu_);
  return log_;
}

core::Result<MediaWorkerCapabilities> NodeMediaWorker::Start() {
  std::lock_guard lock(mu_);
  if (pid_ > 0 && ExitedLocked()) StopLocked(false);
  return StartLocked();
}

bool NodeMediaWorker::ExitedLocked() const {
  if (pid_ <= 0) return true;
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return true;
  return info.si_pid == pid_;
}

core::Result<MediaWorkerCapabilities> NodeMediaWorker::StartLocked() {
  namespace fs = std::filesystem;
  if (pid_ > 0) return caps_;
  std::error_code ec;
  const std::string script = (fs::path(options_.worker_dir) / "worker.mjs").string();
  if (options_.worker_dir.empty() || !fs::exists(script, ec)) return Unavailable("media worker not found: " + script);
  if (!fs::exists(fs::path(options_.worker_dir) / "node_modules", ec)) {
    return Unavailable("media worker packages not installed (scripts/install-deps): " + options_.worker_dir);
  }
  if (::access(options_.node.c_str(), X_OK) != 0) return Unavailable("node not found: " + options_.node);

  // Everything the child needs is made before fork: after it only async-signal-safe calls.
  const char* tmp_root = std::getenv("TMPDIR");
  std::string dir_template =
      std::string(tmp_root != nullptr && tmp_root[0] != '\0' ? tmp_root : "/tmp") + "/atrium-media-XXXXXX";
  if (::mkdtemp(dir_template.data()) == nullptr) return Unavailable(Errno("mkdtemp"));
  temp_dir_ = dir_template;

  std::vector<std::string> args = {options_.node, "--max-old-space-size=2048", script};
  std::vector<std::string> env = {"HOME=" + temp_dir_,
                                  "TMPDIR=" + temp_dir_,
                                  "XDG_CONFIG_HOME=" + temp_dir_ + "/.config",
                                  "XDG_CACHE_HOME=" + temp_dir_ + "/.cache",
                                  "PATH=/usr/local/bin:/usr/bin:/bin",
                                  "LANG=C.UTF-8",
                                  "NODE_ENV=production"};
  if (!options_.chromium.empty()) env.push_back("ATRIUM_MEDIA_CHROMIUM=" + options_.chromium);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  std::array<int, 2> in{-1, -1}, out{-1, -1}, err{-1, -1}, status{-1, -1};
  auto close_all = [&] {
    for (auto* p : {&in, &out, &err, &status}) {
      CloseFd((*p)[0]);
      CloseFd((*p)[1]);
    }
  };
  auto fail = [&](std::string why) {
    close_all();
    fs::remove_all(temp_dir_, ec);
    temp_dir_.clear();
    return Unavailable(std::move(why));
  };
  for (auto* p : {&in, &out, &err, &status}) {
    if (::pipe2(p->data(), O_CLOEXEC) != 0) return fail(Errno("pipe2"));
  }
  // The child's stdio must not land on 0..3 by accident (then dup2 would be a no-op on a
  // descriptor that stays close-on-exec); the server always has 0..2 open, so this holds.
  const char* work_dir = temp_dir_.c_str();
  const rlimit cpu{3600, 3600};
  const rlimit core_limit{0, 0};

  const pid_t pid = ::fork();
  if (pid < 0) return fail(Errno("fork"));
  if (pid == 0) {
    ::setpgid(0, 0);
    ::setrlimit(RLIMIT_CPU, &cpu);
    ::setrlimit(RLIMIT_CORE, &core_limit);
    if (::unshare(CLONE_NEWNET) != 0 && ::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
      ChildFail(status[1], kStepNetwork);
    if (::chdir(work_dir) != 0) ChildFail(status[1], kStepDirectory);
    if (::dup2(in[0], 0) < 0 || ::dup2(out[1], 1) < 0 || ::dup2(err[1], 2) < 0 || ::dup2(status[1], 3) < 0 ||
        ::fcntl(3, F_SETFD, FD_CLOEXEC) != 0) {
      ChildFail(status[1], kStepDescriptors);
    }
    ::close_range(4, ~0U, 0);
    ::execve(argv[0], argv.data(), envp.data());
    ChildFail(3, kStepExec);
  }
  ::setpgid(pid, pid);  // also here, so killpg works whichever runs first
  CloseFd(in[0]);
  CloseFd(out[1]);
  CloseFd(err[1]);
  CloseFd(status[1]);
  pid_ = pid;
  in_fd_ = in[1];
  out_fd_ = out[0];
  err_fd_ = err[0];
  in[1] = out[0] = err[0] = -1;
  ++starts_;
  for (int fd : {in_fd_, out_fd_, err_fd_}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);

  // The status pipe closes on execve; a failure before it writes why.
  ChildFailure failure{0, 0};
  ssize_t n;
  do {
    n = ::read(status[0], &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  CloseFd(status[0]);
  if (n == static_cast<ssize_t>(sizeof failure)) {
    StopLocked(false);
    errno = failure.error;
    return Unavailable(Errno(StepName(failure.step)));
  }

  const auto deadline = Clock::now() + options_.startup_timeout;
  while (true) {
    auto line = ReadLineLocked(deadline);
    if (!line) {
      const bool timed_out = line.error().reason() == Reason::kRenderTimeout;
      return Unavailable(std::string("media worker did not start") + (timed_out ? " in time" : "") + " (" + last_exit_ +
                         "): " + log_.substr(log_.size() > 2000 ? log_.size() - 2000 : 0));
    }
    json::error_code jec;
    json::value v = json::parse(*line, jec);
    const json::object* o = jec ? nullptr : v.if_object();
    if (o == nullptr || !o->contains("ready")) continue;  // something else printed first
    caps_ = {};
    if (const auto* m = o->if_contains("mermaid"); m != nullptr && m->is_bool()) caps_.mermaid = m->as_bool();
    if (const auto* t = o->if_contains("tex"); t != nullptr && t->is_bool()) caps_.tex = t->as_bool();
    return caps_;
  }
}

void NodeMediaWorker::DrainStderrLocked() {
  if (err_fd_ < 0) return;
  char buf[8192];
  while (true) {
    const ssize_t n = ::read(err_fd_, buf, sizeof buf);
    if (n > 0) {
      log_.append(buf, static_cast<std::size_t>(n));
      if (log_.size() > options_.max_log_bytes) log_.erase(0, log_.size() - options_.max_log_bytes);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) CloseFd(err_fd_);  // the child closed it (or is gone)
    return;                        // EAGAIN: nothing more now
  }
}

core::Result<std::string> NodeMediaWorker::ReadLineLocked(Clock::time_point deadline) {
  std::size_t scanned = 0;  // pending_ before this holds no newline (a long line comes in many reads)
  while (true) {
    const auto nl = pending_.find('\n', scanned);
    scanned = pending_.size();
    if (nl != std::string::npos && nl <= options_.max_line_bytes) {
      std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      return line;
    }
    if (nl != std::string::npos || pending_.size() > options_.max_line_bytes) {  // a line over the cap
      StopLocked(false);
      return Error(ErrorCode::kResourceExhausted, "The rendered image is too large")
          .WithReason(Reason::kRenderTooLarge);
    }
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    const int timeout = MillisUntil(deadline);
    const int rc = ::poll(fds, err_fd_ >= 0 ? 2 : 1, timeout);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) {
      const std::string why = Errno("poll");
      StopLocked(false);
      return Unavailable(why);
    }
    if (rc == 0) {
      if (Clock::now() < deadline) continue;
      StopLocked(false);
      return Timeout();
    }
    if (err_fd_ >= 0 && fds[1].revents != 0) DrainStderrLocked();
    if (fds[0].revents != 0) {
      char buf[65536];
      const ssize_t n = ::read(out_fd_, buf, sizeof buf);
      if (n > 0) {
        pending_.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        DrainStderrLocked();
        StopLocked(false);
        return Unavailable("media worker closed its output (" + last_exit_ + ")");
      }
    }
  }
}

core::Result<void> NodeMediaWorker::WriteAllLocked(std::string_view bytes) {
  // A write to a pipe whose reader is gone raises SIGPIPE: blocked for this thread while
  // writing (the server's signal dispositions are left alone), and a SIGPIPE this write
  // raised is taken off the pending set before the mask is restored.
  sigset_t pipe_set, old_set, pending_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  sigpending(&pending_set);
  const bool was_pending = sigismember(&pending_set, SIGPIPE) == 1;
  int error = 0;
  while (!bytes.empty()) {
    const ssize_t n = ::write(in_fd_, bytes.data(), bytes.size());
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      // The child is not reading: wait a little (the caller's deadline bounds the answer).
      pollfd p{in_fd_, POLLOUT, 0};
      if (::poll(&p, 1, 1000) > 0 && (p.revents & POLLOUT) != 0) continue;
      if ((p.revents & (POLLERR | POLLHUP)) == 0 && !ExitedLocked()) continue;
      error = EPIPE;
      break;
    }
    error = errno;
    break;
  }
  if (error == EPIPE && !was_pending) {
    const timespec zero{0, 0};
    sigtimedwait(&pipe_set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  if (error != 0) {
    errno = error;
    return Unavailable(Errno("writing to the media worker"));
  }
  return core::Ok{};
}

void NodeMediaWorker::StopLocked(bool gracefully) {
  namespace fs = std::filesystem;
  if (pid_ > 0) {
    CloseFd(in_fd_);  // the worker ends when its stdin does
    if (gracefully) {
      const auto until = Clock::now() + std::chrono::seconds(1);
      while (!ExitedLocked() && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::killpg(pid_, SIGKILL);  // Chromium and whatever else is left in the group
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(pid_, &status, 0);
    } while (r < 0 && errno == EINTR);
    last_exit_ = r == pid_ ? DescribeExit(status) : "not reaped";
    DrainStderrLocked();
  }
  pid_ = -1;
  CloseFd(in_fd_);
  CloseFd(out_fd_);
  CloseFd(err_fd_);
  pending_.clear();
  if (!temp_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(temp_dir_, ec);
    temp_dir_.clear();
  }
}

core::Result<std::string> NodeMediaWorker::Call(std::string_view request, Clock::time_point deadline) {
  json::error_code jec;
  json::value v = json::parse(request, jec);
  if (jec || !v.is_object()) return Error(ErrorCode::kInternal, "media worker request is not a JSON object");

  std::lock_guard lock(mu_);
  if (pid_ > 0 && ExitedLocked()) StopLocked(false);  // died while idle: start afresh
  if (pid_ <= 0) {
    auto started = StartLocked();
    if (!started) return started.error();
  }
  DrainStderrLocked();
  const long long id = next_id_++;
  v.as_object()["id"] = id;
  std::string line = json::serialize(v);
  line.push_back('\n');
  if (auto w = WriteAllLocked(line); !w) {
    StopLocked(false);
    return w.error();
  }
  while (true) {
    auto answer = ReadLineLocked(deadline);
    if (!answer) return answer.error();
    json::value a = json::parse(*answer, jec);
    const json::object* o = jec ? nullptr : a.if_object();
    const json::value* got = o != nullptr ? o->if_contains("id") : nullptr;
    if (got == nullptr) {  // not an answer (a stray print): keep it with the log
      log_.append("stdout: " + answer->substr(0, 500) + "\n");
      if (log_.size() > options_.max_log_bytes) log_.erase(0, log_.size() - options_.max_log_bytes);
      continue;
    }
    if (!got->is_int64() || got->as_int64() != id) {
      StopLocked(false);
      return Unavailable("media worker answered out of turn: " + answer->substr(0, 200));
    }
    return std::move(*answer);
  }
}

// ------------------------------------------------------------------ NodeMediaWorkerPool

NodeMediaWorkerPool::NodeMediaWorkerPool(MediaWorkerOptions options) : options_(std::move(options)) {
  const std::size_t n = std::max<std::size_t>(1, options_.workers);
  for (std::size_t i = 0; i < n; ++i) workers_.push_back(std::make_unique<NodeMediaWorker>(options_));
  busy_.assign(n, false);
}

NodeMediaWorkerPool::~NodeMediaWorkerPool() = default;

int NodeMediaWorkerPool::Acquire(Clock::time_point deadline) {
  std::unique_lock lock(mu_);
  int slot = -1;
  auto pick = [&] {
    // A free worker whose child runs already, else any free one.
    for (std::size_t i = 0; i < busy_.size(); ++i) {
      if (!busy_[i] && workers_[i]->running()) {
        slot = static_cast<int>(i);
        return true;
      }
    }
    for (std::size_t i = 0; i < busy_.size(); ++i) {
      if (!busy_[i]) {
        slot = static_cast<int>(i);
        return true;
      }
    }
    return false;
  };
  if (!freed_.wait_until(lock, deadline, pick)) return -1;
  busy_[static_cast<std::size_t>(slot)] = true;
  return slot;
}

void NodeMediaWorkerPool::Release(int slot) {
  {
    std::lock_guard lock(mu_);
    busy_[static_cast<std::size_t>(slot)] = false;
  }
  freed_.notify_one();
}

core::Result<MediaWorkerCapabilities> NodeMediaWorkerPool::Probe() {
  std::lock_guard probe_lock(probe_mu_);
  if (probed_) return probe_;
  const int slot = Acquire(Clock::now() + options_.startup_timeout);
  if (slot < 0) return Unavailable("every media worker is busy");
  probe_ = workers_[static_cast<std::size_t>(slot)]->Start();
  Release(slot);
  probed_ = true;
  return probe_;
}

core::Result<std::string> NodeMediaWorkerPool::Call(std::string_view request, Clock::time_point deadline) {
  const int slot = Acquire(deadline);
  if (slot < 0) {
    return Error(ErrorCode::kUnavailable, "Every media worker is busy; the render passed its deadline")
        .WithReason(Reason::kRenderTimeout);
  }
  auto r = workers_[static_cast<std::size_t>(slot)]->Call(request, deadline);
  Release(slot);
  return r;
}

int NodeMediaWorkerPool::starts() const {
  int n = 0;
  for (const auto& w : workers_) n += w->starts();
  return n;
}

std::string NodeMediaWorkerPool::log() const {
  std::string all;
  for (const auto& w : workers_) all += w->log();
  return all;
}

}  // namespace atrium::engines::media
