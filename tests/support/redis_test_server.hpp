#pragma once
// Redis servers for the tests, real ones (tests/support/redis_server.py):
//
//   SharedRedisUrl()     the server the ctest fixture `redis` started, or "" (then skip);
//                        tests share it, each under its own key prefix (UniquePrefix()).
//   OwnRedisServer       a server of the test's own, in a temporary directory, for tests
//                        that stop and restart it (the port stays the same).

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>

#include "support/temp_dir.hpp"

namespace atrium::testing {

inline std::string SharedRedisUrl() {
  if (const char* url = std::getenv("ATRIUM_TEST_REDIS_URL"); url != nullptr && *url != '\0') return url;
  const char* file = std::getenv("ATRIUM_TEST_REDIS_URL_FILE");
  if (file == nullptr || *file == '\0') return {};
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  return url;
}

// "t<random>:", so tests sharing one server never see each other's keys or channels.
inline std::string UniquePrefix() {
  std::random_device rd;
  return "t" + std::to_string(rd()) + std::to_string(rd()) + ":";
}

class OwnRedisServer {
 public:
  OwnRedisServer() {
    Script("start --dir '" + dir_.File("redis") + "' --url-file '" + dir_.File("url") + "'");
    std::ifstream in(dir_.File("url"));
    std::getline(in, url_);
    if (url_.empty()) throw std::runtime_error("redis test server: no URL");
  }
  ~OwnRedisServer() {
    try {
      Script("stop --dir '" + dir_.File("redis") + "'");
    } catch (...) {  // best effort: the temp dir goes anyway
    }
  }
  OwnRedisServer(const OwnRedisServer&) = delete;
  OwnRedisServer& operator=(const OwnRedisServer&) = delete;

  const std::string& url() const { return url_; }
  // Stops the server, keeping its port for Restart.
  void Stop() { Script("pause --dir '" + dir_.File("redis") + "'"); }
  // Starts it again on the same port (after Stop, or at once).
  void Restart() { Script("restart --dir '" + dir_.File("redis") + "'"); }

 private:
  static void Script(const std::string& arguments) {
    const std::string command =
        std::string(ATRIUM_TEST_PYTHON) + " '" + ATRIUM_TEST_REDIS_SCRIPT + "' " + arguments + " >/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("redis test server: failed: " + arguments);
  }

  TempDir dir_;
  std::string url_;
};

}  // namespace atrium::testing
