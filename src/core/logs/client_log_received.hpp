#pragma once
// A client log entry was stored ("client_log.received"), for live consoles following
// ClientLogService::Topic(). Carries the entry's summary, not its metadata.

#include <optional>
#include <string>

namespace atrium::core::logs {

struct ClientLogReceived {
  std::string id;
  std::string timestamp;
  std::string level;
  std::string label;
  std::string message;
  std::optional<std::string> client_id;
  std::optional<std::string> client_name;

  bool operator==(const ClientLogReceived&) const = default;
};

}  // namespace atrium::core::logs
