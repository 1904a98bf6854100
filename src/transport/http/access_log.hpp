#pragma once
// One line per finished request, written off the I/O threads by an async spdlog logger
// with a bounded queue (when it is full, the oldest lines are dropped, never the
// requests). Secret query parameters are redacted (http/target_redaction.hpp) before a
// target is written.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

namespace spdlog {
class logger;
}

namespace atrium::transport {

struct AccessRecord {
  std::string_view site;
  std::string_view remote;
  std::string_view method;
  std::string_view target;
  int status;
  std::size_t bytes;
  std::chrono::microseconds duration;
  std::string_view request_id;
};

class AccessLog {
 public:
  // `enabled` false makes Write a no-op.
  explicit AccessLog(bool enabled);
  ~AccessLog();
  void Write(const AccessRecord& record);

 private:
  std::shared_ptr<void> pool_;  // the logger's thread pool; outlives the logger
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace atrium::transport
