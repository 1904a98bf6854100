#pragma once
// The SQLite driver for the contract suite: a database file in a temp dir.

#include <memory>

#include "storage/contract/storage_driver.hpp"

namespace atrium::storage::contract {

std::unique_ptr<DriverInstance> OpenSqlite(const core::Clock& clock, core::Random& random);

}  // namespace atrium::storage::contract
