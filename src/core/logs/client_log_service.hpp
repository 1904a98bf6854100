#pragma once
// Stores and queries client log entries. Blocking: call from a worker thread.

#include <cstdint>

#include "core/clock.hpp"
#include "core/events/event_bus.hpp"
#include "core/logs/client_log.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "core/logs/client_log_repository.hpp"
#include "core/persistence/repositories.hpp"

namespace atrium::core::logs {

class ClientLogService {
 public:
  // Keeps at most `max_entries`; the oldest are dropped as new ones arrive. With an
  // event bus, every stored entry is also published as "client_log.received" on
  // Topic() (payload: a ClientLogReceived), for live consoles.
  ClientLogService(const persistence::Repositories& repos, const Clock& clock, Random& random, std::int64_t max_entries,
                   events::EventBus* events = nullptr);

  static std::string Topic();

  // Validates and stores one entry: kInvalidArgument names the bad field.
  Result<void> Append(ClientLogEntry entry);
  // Validates every entry, then stores them in one transaction: all or, on any
  // failure, none. An entry is identified by its id (the spec's entries carry one;
  // entries without get a fresh one): an id already stored, or earlier in the batch,
  // is skipped, so a retried batch stores nothing twice. Returns how many were new.
  Result<std::int64_t> AppendBatch(std::vector<ClientLogEntry> entries);
  Result<ClientLogPage> List(const ClientLogQuery& query);
  // Removes every entry; returns how many there were.
  Result<std::int64_t> Clear();
  // How many entries are stored.
  Result<std::int64_t> Count();

  static constexpr int kMaxLimit = 10000;

 private:
  persistence::Transactions& transactions_;
  ClientLogRepository& logs_;
  const Clock& clock_;
  Random& random_;
  std::int64_t max_entries_;
  events::EventBus* events_;
};

// Upper-cases a level and checks it is known ("warn" is accepted as WARNING).
std::optional<std::string> NormalizeLevel(std::string_view level);

}  // namespace atrium::core::logs
