#pragma once
// The client-log aggregate: entries clients sent, identified by their id, in arrival
// order. Blocking; thread-safe. Isolation: kReadCommitted (single statements; an id
// is stored once however many writers race, by its unique key).

#include <cstdint>

#include "core/logs/client_log.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "core/result.hpp"

namespace atrium::core::logs {

class ClientLogRepository {
 public:
  virtual ~ClientLogRepository() = default;
  // Stores the entry unless one with its id is stored; true when it stored it.
  virtual Result<bool> InsertNew(persistence::UnitOfWork& uow, const ClientLogEntry& entry,
                                 const std::string& received_at) = 0;
  // Drops all but the `keep` most recently stored entries.
  virtual Result<void> KeepNewest(persistence::UnitOfWork& uow, std::int64_t keep) = 0;
  // Entries matching the query's filters (level already normalised), newest stored
  // first, at most query.limit of them, with the number of all matches.
  virtual Result<ClientLogPage> List(const ClientLogQuery& query) = 0;
  virtual Result<std::int64_t> Count() = 0;
  // Removes every entry; returns how many there were.
  virtual Result<std::int64_t> Clear(persistence::UnitOfWork& uow) = 0;
};

}  // namespace atrium::core::logs
