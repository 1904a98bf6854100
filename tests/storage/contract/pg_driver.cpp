#include "storage/contract/pg_driver.hpp"

#include <stdexcept>

#include "storage/postgres/pg_database.hpp"
#include "storage/postgres/pg_repositories.hpp"
#include "storage/postgres/pg_schema.hpp"
#include "support/pg_test_database.hpp"

namespace atrium::storage::contract {

namespace {

class PgInstance final : public DriverInstance {
 public:
  PgInstance(const core::Clock& clock, core::Random& random) {
    // A pool of several connections, so concurrent units of work really overlap.
    auto db = postgres::PgDatabase::Open({.pool = {.url = database_.url(), .size = 4}});
    if (!db) throw std::runtime_error("open: " + db.error().internal_message());
    db_ = std::move(db).value();
    auto migrated = postgres::ApplyPgMigrations(*db_);
    if (!migrated) throw std::runtime_error("migrate: " + migrated.error().internal_message());
    stores_ = postgres::OpenRepositories(*db_, clock, random);
  }
  ~PgInstance() override {
    stores_.reset();
    db_.reset();  // closes the pool before the database is dropped
  }
  const core::persistence::Repositories& repos() override { return stores_->repos(); }
  Database& database() override { return *db_; }

 private:
  atrium::testing::PgTestDatabase database_;
  std::unique_ptr<postgres::PgDatabase> db_;
  std::unique_ptr<sql::SqlRepositories> stores_;
};

}  // namespace

std::unique_ptr<DriverInstance> OpenPostgres(const core::Clock& clock, core::Random& random) {
  if (atrium::testing::PgTestDatabase::ServerUrl().empty()) return nullptr;
  return std::make_unique<PgInstance>(clock, random);
}

}  // namespace atrium::storage::contract
