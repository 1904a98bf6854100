#pragma once
// The PostgreSQL driver for the contract suite: a fresh database per test on the server
// of the ctest fixture `postgres` (support/pg_test_database.hpp). Without a server,
// OpenPostgres returns nullptr and the suite skips.

#include <memory>

#include "storage/contract/storage_driver.hpp"

namespace atrium::storage::contract {

std::unique_ptr<DriverInstance> OpenPostgres(const core::Clock& clock, core::Random& random);

}  // namespace atrium::storage::contract
