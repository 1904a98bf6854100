#pragma once
// Runs an external program once, the way every renderer that is not our own code must
// run: as a child in its own process group, with no network (a new network namespace),
// a private temporary directory as its working directory, HOME and TMPDIR, CPU-time,
// address-space, file-size and open-file limits, its input on stdin and its output read
// back with a byte cap, and a wall-clock deadline after which the whole group is killed.
// Blocking; thread-safe (each call forks its own child).

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace atrium::engines::process {

struct SandboxLimits {
  std::chrono::milliseconds deadline{10000};         // wall clock, start to exit
  int cpu_seconds = 10;                              // RLIMIT_CPU
  std::size_t address_space = std::size_t{1} << 30;  // RLIMIT_AS; 0: none
  std::size_t file_size = std::size_t{64} << 20;     // RLIMIT_FSIZE (files it writes)
  std::size_t max_output = std::size_t{32} << 20;    // stdout bytes kept; past it: killed
  std::size_t max_errors = std::size_t{64} << 10;    // stderr bytes kept (the rest dropped)
  std::string temp_parent = "/tmp";                  // where the private directory goes
};

struct RunOutcome {
  int exit_code = -1;             // when it exited
  int signal = 0;                 // when a signal ended it
  bool timed_out = false;         // killed at the deadline
  bool output_too_large = false;  // killed when stdout passed max_output
  std::string out;
  std::string err;
  bool ok() const { return exit_code == 0 && signal == 0 && !timed_out && !output_too_large; }
};

// `argv[0]` is looked up in `path` (a PATH-style list) when it has no '/'. `env` is the
// child's whole environment besides HOME, TMPDIR and PATH (set here). kUnavailable when
// the program is not found or the sandbox cannot be made (no network namespace); the
// program's own failures are in the outcome.
core::Result<RunOutcome> RunSandboxed(const std::vector<std::string>& argv, std::string_view input,
                                      const SandboxLimits& limits, const std::vector<std::string>& env = {},
                                      const std::string& path = "/usr/local/bin:/usr/bin:/bin");

// The full path of `program` in `path`, or "" when it is not there (or not executable).
std::string FindProgram(const std::string& program, const std::string& path = "/usr/local/bin:/usr/bin:/bin");

}  // namespace atrium::engines::process
