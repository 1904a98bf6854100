#pragma once
// The fake OpenAI-compatible upstream (tests/upstream/fake_openai.py) as a child process
// for C++ tests: started on a free port with the given flags, killed at the end.

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

extern char** environ;

namespace atrium::testing {

class FakeUpstreamProcess {
 public:
  explicit FakeUpstreamProcess(const std::string& script, std::vector<std::string> flags = {}) {
    const std::string ready = dir_.File("ready.json");
    std::vector<std::string> args = {"/usr/bin/python3", script, "--port", "0", "--ready-file", ready};
    args.insert(args.end(), flags.begin(), flags.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
      throw std::runtime_error("cannot start the fake upstream");
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      std::ifstream in(ready);
      std::stringstream s;
      s << in.rdbuf();
      const std::string text = s.str();
      const auto at = text.find("\"port\":");
      if (at != std::string::npos && text.find('}') != std::string::npos) {
        port_ = std::stoi(text.substr(at + 7));
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("the fake upstream did not start");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~FakeUpstreamProcess() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  FakeUpstreamProcess(const FakeUpstreamProcess&) = delete;
  FakeUpstreamProcess& operator=(const FakeUpstreamProcess&) = delete;

  int port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  TempDir dir_;
  pid_t pid_ = 0;
  int port_ = 0;
};

}  // namespace atrium::testing
