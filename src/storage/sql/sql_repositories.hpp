#pragma once
// Every SQL repository over one Database, owned together, and the core's view of them
// (persistence::Repositories). A driver builds one with its SqlFlavor and the parts it
// must provide itself (storage/sqlite/sqlite_repositories.hpp for SQLite).

#include <memory>

#include "core/clock.hpp"
#include "core/persistence/repositories.hpp"
#include "core/random.hpp"
#include "storage/database.hpp"
#include "storage/sql/sql_flavor.hpp"
#include "storage/sql/text_searches.hpp"

namespace atrium::storage::sql {

class SqlRepositories {
 public:
  // `db`, `clock` and `random` must outlive this object (the conversation store makes
  // its ids and timestamps with them).
  SqlRepositories(Database& db, SqlFlavor flavor, TextSearches searches, const core::Clock& clock,
                  core::Random& random);
  ~SqlRepositories();
  SqlRepositories(const SqlRepositories&) = delete;
  SqlRepositories& operator=(const SqlRepositories&) = delete;

  // Valid as long as this object lives.
  const core::persistence::Repositories& repos() const { return *repos_; }
  Database& database() { return db_; }

 private:
  struct Parts;
  Database& db_;
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<core::persistence::Repositories> repos_;
};

}  // namespace atrium::storage::sql
