#pragma once
// Units of work: several repository writes that commit together or not at all. The
// core owns these interfaces; a storage driver implements them (storage/sql for the
// SQL drivers). Nothing here knows SQL.
//
// A repository write takes the UnitOfWork it belongs to; a repository read may take one
// (to see the unit's own uncommitted writes and, at kSerializable, to make a
// read-modify-write safe) or run on its own.

#include <functional>

#include "core/result.hpp"

namespace atrium::core::persistence {

// An open unit of work, handed to the body of Transactions::Run. Opaque: only the
// driver that opened it looks inside. Valid only while that body runs.
class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;
};

// What a unit of work needs from concurrent ones.
//   kReadCommitted: each statement sees data committed before it started. Enough for
//     units whose writes are single conditional statements (UPDATE ... WHERE expected
//     old value), whose outcome is decided by the row as the statement finds it.
//   kSerializable: the unit behaves as if it ran alone; a read inside it stays valid
//     until it commits (read-modify-write of one row). A driver may abort such a unit
//     when a concurrent one conflicts and then retries it or returns kUnavailable; a
//     body must therefore be safe to run again (no side effects outside the unit).
// SQLite runs every write unit serialised (one writer), which satisfies both.
enum class Isolation { kReadCommitted, kSerializable };

// A step a caller adds to a unit of work another component opens (an audit entry
// beside the change it records). Its error rolls the whole unit back.
using TransactionStep = std::function<Result<void>(UnitOfWork&)>;

class Transactions {
 public:
  virtual ~Transactions() = default;
  // Runs `body` in one unit of work: committed (durably) when it returns ok, rolled back
  // when it returns an error, which is then returned unchanged. Blocking; call from a
  // worker thread. The body must not call Run itself (no nesting).
  virtual Result<void> Run(Isolation isolation, const std::function<Result<void>(UnitOfWork&)>& body) = 0;
};

}  // namespace atrium::core::persistence
