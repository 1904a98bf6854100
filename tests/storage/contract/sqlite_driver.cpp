#include "storage/contract/sqlite_driver.hpp"

#include <stdexcept>

#include "storage/migration.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/temp_dir.hpp"

namespace atrium::storage::contract {

namespace {

class SqliteInstance final : public DriverInstance {
 public:
  SqliteInstance(const core::Clock& clock, core::Random& random) {
    auto db = sqlite::SqliteDatabase::Open({dir_.File("contract.db"), 2});
    if (!db) throw std::runtime_error("open: " + db.error().internal_message());
    db_ = std::move(db).value();
    auto migrated = ApplyMigrations(*db_, sqlite::SqliteMigrations());
    if (!migrated) throw std::runtime_error("migrate: " + migrated.error().internal_message());
    stores_ = sqlite::OpenRepositories(*db_, clock, random);
  }
  const core::persistence::Repositories& repos() override { return stores_->repos(); }
  Database& database() override { return *db_; }

 private:
  testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteDatabase> db_;
  std::unique_ptr<sql::SqlRepositories> stores_;
};

}  // namespace

std::unique_ptr<DriverInstance> OpenSqlite(const core::Clock& clock, core::Random& random) {
  return std::make_unique<SqliteInstance>(clock, random);
}

}  // namespace atrium::storage::contract
