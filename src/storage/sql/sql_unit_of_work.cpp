#include "storage/sql/sql_unit_of_work.hpp"

#include <stdexcept>

namespace atrium::storage::sql {

Executor& Tx(core::persistence::UnitOfWork& uow) {
  auto* sql = dynamic_cast<SqlUnitOfWork*>(&uow);
  if (sql == nullptr) throw std::logic_error("a unit of work from another driver reached a SQL repository");
  return sql->tx();
}

core::Result<void> SqlTransactions::Run(core::persistence::Isolation isolation,
                                        const std::function<core::Result<void>(core::persistence::UnitOfWork&)>& body) {
  return db_.TransactWith(isolation, [&](Executor& tx) -> core::Result<void> {
    SqlUnitOfWork uow(tx);
    return body(uow);
  });
}

}  // namespace atrium::storage::sql
