#pragma once
// Log entries that client apps send to the server for remote debugging.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace atrium::core::logs {

struct ClientLogEntry {
  std::string id;
  std::string timestamp;  // RFC 3339, as the client sent it (or the receive time)
  std::string level;      // DEBUG, INFO, WARNING, ERROR or CRITICAL
  std::string label;
  std::string message;
  std::optional<std::string> file;
  std::optional<std::string> function;
  std::optional<std::int64_t> line;
  std::optional<std::string> metadata_json;  // an object, kept as the client's JSON text
  std::optional<std::string> client_id;
  std::optional<std::string> client_name;
};

struct ClientLogQuery {
  int limit = 1000;
  std::optional<std::string> level;
  std::optional<std::string> label;
  std::optional<std::string> since;  // RFC 3339; entries at or after it
};

struct ClientLogPage {
  std::vector<ClientLogEntry> logs;  // newest first
  std::int64_t total = 0;            // all entries matching the filters, not just this page
};

}  // namespace atrium::core::logs
