#pragma once
// Atrium's schema for SQLite, as an ordered list of migrations.

#include <span>

#include "storage/migration.hpp"

namespace atrium::storage::sqlite {

std::span<const Migration> SqliteMigrations();

}  // namespace atrium::storage::sqlite
