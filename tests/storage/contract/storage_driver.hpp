#pragma once
// What the storage contract suite runs on: a driver factory giving a fresh, migrated,
// empty database and its repositories. One factory per driver; the suite is
// instantiated once per factory (storage_contract_test.cpp).
//
// Adding a driver is one line in that file:
//   INSTANTIATE_TEST_SUITE_P(Postgres, StorageContract, ::testing::Values(Driver{"postgres", OpenPostgres}));
// where OpenPostgres reads ATRIUM_TEST_POSTGRES_URL and returns nullptr when it is unset
// (the suite then skips every test of that instantiation).

#include <functional>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/persistence/repositories.hpp"
#include "core/random.hpp"
#include "storage/database.hpp"

namespace atrium::storage::contract {

// One opened database with its repositories; destroying it closes (and, for a scratch
// database, removes) it.
class DriverInstance {
 public:
  virtual ~DriverInstance() = default;
  virtual const core::persistence::Repositories& repos() = 0;
  // The SQL-level database, for the few checks that look under the interfaces.
  virtual Database& database() = 0;
};

struct Driver {
  std::string name;
  // nullptr: the driver is not available here (its tests are skipped).
  std::function<std::unique_ptr<DriverInstance>(const core::Clock&, core::Random&)> open;
};

}  // namespace atrium::storage::contract
