#include "engines/process/sandboxed_run.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace atrium::engines::process {

namespace {

using Clock = std::chrono::steady_clock;

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  void Close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

bool Pipe(Fd& read_end, Fd& write_end) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return false;
  read_end.fd = p[0];
  write_end.fd = p[1];
  return true;
}

// The private working directory, removed with everything the child left in it.
struct TempDir {
  std::string path;
  ~TempDir() {
    if (path.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// What the child tells the parent when it cannot exec: the step and errno.
struct SetupFailure {
  int step = 0;  // 1 network namespace, 2 limits, 3 directory, 4 exec
  int error = 0;
};

[[noreturn]] void ChildFail(int status_fd, int step) {
  const SetupFailure f{step, errno};
  ssize_t ignored = ::write(status_fd, &f, sizeof f);
  (void)ignored;
  ::_exit(126);
}

void SetLimit(int resource, rlim_t value, int status_fd) {
  const rlimit l{value, value};
  if (::setrlimit(resource, &l) != 0) ChildFail(status_fd, 2);
}

// Writes what the pipe takes now, with SIGPIPE held back (a child that exits before it
// read its input must not kill the server). False when the reader is gone.
bool WriteSome(int fd, std::string_view& pending) {
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  const ssize_t n = ::write(fd, pending.data(), pending.size());
  const int err = errno;
  if (n < 0 && err == EPIPE) {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &zero) > 0) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (n > 0) pending.remove_prefix(static_cast<std::size_t>(n));
  return n >= 0 || err == EAGAIN || err == EINTR;
}

}  // namespace

std::string FindProgram(const std::string& program, const std::string& path) {
  if (program.empty()) return "";
  auto usable = [](const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (program.find('/') != std::string::npos) return usable(program) ? program : "";
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find(':', start), path.size());
    if (end > start) {
      std::string candidate = path.substr(start, end - start) + "/" + program;
      if (usable(candidate)) return candidate;
    }
    start = end + 1;
  }
  return "";
}

core::Result<RunOutcome> RunSandboxed(const std::vector<std::string>& argv, std::string_view input,
                                      const SandboxLimits& limits, const std::vector<std::string>& env,
                                      const std::string& path) {
  if (argv.empty()) return core::Error(core::ErrorCode::kInvalidArgument, "no program to run");
  const std::string program = FindProgram(argv[0], path);
  if (program.empty()) {
    return core::Error(core::ErrorCode::kUnavailable, "The renderer is not installed", argv[0] + ": not found");
  }
  TempDir dir;
  {
    std::string templ = limits.temp_parent + "/atrium-render-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) {
      return core::Error(core::ErrorCode::kInternal, "Rendering failed",
                         "mkdtemp: " + std::string(std::strerror(errno)));
    }
    dir.path = templ;
  }
  // Everything the child needs, made before fork: after it only system calls.
  std::vector<std::string> environment = env;
  environment.push_back("HOME=" + dir.path);
  environment.push_back("TMPDIR=" + dir.path);
  environment.push_back("PATH=" + path);
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const auto& e : environment) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);

  Fd in_r, in_w, out_r, out_w, err_r, err_w, st_r, st_w;
  if (!Pipe(in_r, in_w) || !Pipe(out_r, out_w) || !Pipe(err_r, err_w) || !Pipe(st_r, st_w)) {
    return core::Error(core::ErrorCode::kInternal, "Rendering failed", "pipe: " + std::string(std::strerror(errno)));
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    return core::Error(core::ErrorCode::kUnavailable, "Rendering failed", "fork: " + std::string(std::strerror(errno)));
  }
  if (pid == 0) {
    const int status_fd = st_w.fd;
    ::setpgid(0, 0);
    if (::unshare(CLONE_NEWNET) != 0 && ::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) ChildFail(status_fd, 1);
    {
      // SIGXCPU at the soft limit (the renderer's own handler or death), SIGKILL a second later.
      const rlim_t cpu = static_cast<rlim_t>(std::max(1, limits.cpu_seconds));
      const rlimit l{cpu, cpu + 1};
      if (::setrlimit(RLIMIT_CPU, &l) != 0) ChildFail(status_fd, 2);
    }
    if (limits.address_space > 0) SetLimit(RLIMIT_AS, limits.address_space, status_fd);
    SetLimit(RLIMIT_FSIZE, limits.file_size, status_fd);
    SetLimit(RLIMIT_CORE, 0, status_fd);
    SetLimit(RLIMIT_NOFILE, 256, status_fd);
    if (::chdir(dir.path.c_str()) != 0) ChildFail(status_fd, 3);
    if (::dup2(in_r.fd, 0) < 0 || ::dup2(out_w.fd, 1) < 0 || ::dup2(err_w.fd, 2) < 0) ChildFail(status_fd, 3);
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    ::execve(program.c_str(), cargv.data(), cenv.data());
    ChildFail(status_fd, 4);
  }
  ::setpgid(pid, pid);  // also from here: no window where a kill misses the group
  in_r.Close();
  out_w.Close();
  err_w.Close();
  st_w.Close();
  SetupFailure failure;
  ssize_t got = 0;
  do {
    got = ::read(st_r.fd, &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof failure)) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    static constexpr const char* kSteps[] = {"", "network namespace", "limits", "directory", "exec"};
    return core::Error(core::ErrorCode::kUnavailable, "The renderer could not be started",
                       argv[0] + ": " + kSteps[failure.step >= 1 && failure.step <= 4 ? failure.step : 0] + ": " +
                           std::strerror(failure.error));
  }
  for (const int fd : {in_w.fd, out_r.fd, err_r.fd}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);

  RunOutcome outcome;
  std::string_view pending = input;
  if (pending.empty()) in_w.Close();
  const auto deadline = Clock::now() + limits.deadline;
  char buffer[65536];
  while (out_r.fd >= 0 || err_r.fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      outcome.timed_out = true;
      break;
    }
    pollfd fds[3];
    nfds_t n = 0;
    if (in_w.fd >= 0) fds[n++] = {in_w.fd, POLLOUT, 0};
    if (out_r.fd >= 0) fds[n++] = {out_r.fd, POLLIN, 0};
    if (err_r.fd >= 0) fds[n++] = {err_r.fd, POLLIN, 0};
    const int ready = ::poll(fds, n, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) break;
    for (nfds_t i = 0; i < n && ready > 0; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_w.fd) {
        if (!WriteSome(in_w.fd, pending) || pending.empty()) in_w.Close();
        continue;
      }
      const bool is_out = fds[i].fd == out_r.fd;
      const ssize_t r = ::read(fds[i].fd, buffer, sizeof buffer);
      if (r > 0) {
        std::string& sink = is_out ? outcome.out : outcome.err;
        const std::size_t cap = is_out ? limits.max_output : limits.max_errors;
        if (sink.size() + static_cast<std::size_t>(r) > cap) {
          sink.append(buffer, cap - sink.size());
          if (is_out) outcome.output_too_large = true;
        } else {
          sink.append(buffer, static_cast<std::size_t>(r));
        }
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        (is_out ? out_r : err_r).Close();
      }
    }
    if (outcome.output_too_large) break;
  }
  in_w.Close();
  int status = 0;
  if (outcome.timed_out || outcome.output_too_large) {
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  } else {
    // Output closed: the child is exiting (or closed its output and lives on).
    for (;;) {
      const pid_t w = ::waitpid(pid, &status, WNOHANG);
      if (w == pid) break;
      if (w < 0 && errno != EINTR) break;
      if (Clock::now() >= deadline) {
        outcome.timed_out = true;
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        break;
      }
      ::usleep(2000);
    }
  }
  ::kill(-pid, SIGKILL);  // whatever it left running in its group
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  if (outcome.timed_out || outcome.output_too_large) outcome.exit_code = -1;
  return outcome;
}

}  // namespace atrium::engines::process
