#pragma once
// Stores and queries client log entries. Blocking: call from a worker thread.

#include <cstdint>

#include "core/clock.hpp"
#include "core/logs/client_log.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace atrium::core::logs {

class ClientLogService {
 public:
  // Keeps at most `max_entries`; the oldest are dropped as new ones arrive.
  ClientLogService(storage::Database& db, const Clock& clock, Random& random, std::int64_t max_entries);

  // Validates and stores one entry: kInvalidArgument names the bad field.
  Result<void> Append(ClientLogEntry entry);
  Result<ClientLogPage> List(const ClientLogQuery& query);
  // Removes every entry; returns how many there were.
  Result<std::int64_t> Clear();
  // How many entries are stored.
  Result<std::int64_t> Count();

  static constexpr int kMaxLimit = 10000;

 private:
  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  std::int64_t max_entries_;
};

// Upper-cases a level and checks it is known ("warn" is accepted as WARNING).
std::optional<std::string> NormalizeLevel(std::string_view level);

}  // namespace atrium::core::logs
