#pragma once
// Units of work over a SQL Database: each is one write transaction (Database::Transact),
// its UnitOfWork carrying the transaction's Executor to the SQL repositories.

#include "core/persistence/unit_of_work.hpp"
#include "storage/database.hpp"

namespace atrium::storage::sql {

class SqlUnitOfWork final : public core::persistence::UnitOfWork {
 public:
  explicit SqlUnitOfWork(Executor& tx) : tx_(tx) {}
  Executor& tx() { return tx_; }

 private:
  Executor& tx_;
};

// The Executor of a unit of work opened by SqlTransactions. Another driver's unit is a
// programmer error: std::logic_error.
Executor& Tx(core::persistence::UnitOfWork& uow);

class SqlTransactions final : public core::persistence::Transactions {
 public:
  explicit SqlTransactions(Database& db) : db_(db) {}
  core::Result<void> Run(core::persistence::Isolation isolation,
                         const std::function<core::Result<void>(core::persistence::UnitOfWork&)>& body) override;

 private:
  Database& db_;
};

}  // namespace atrium::storage::sql
