#pragma once
// MemoryRepository in portable SQL (tables memories and memory_tags), with the
// driver's full-text matching (memory_text_search.hpp).

#include "core/memory/memory_repository.hpp"
#include "storage/database.hpp"
#include "storage/sql/memory_text_search.hpp"

namespace atrium::storage::sql {

class SqlMemoryRepository final : public core::memory::MemoryRepository {
 public:
  // Both outlive this object.
  SqlMemoryRepository(Database& db, MemoryTextSearch& search) : db_(db), search_(search) {}

  core::Result<void> Insert(const core::memory::Memory& memory) override;
  core::Result<std::optional<core::memory::Memory>> Get(const std::string& user_id, const std::string& id) override;
  core::Result<std::optional<core::memory::Memory>> Update(const std::string& user_id, const std::string& id,
                                                           const core::memory::MemoryPatch& patch,
                                                           const std::string& now) override;
  core::Result<bool> Delete(const std::string& user_id, const std::string& id) override;
  core::Result<std::int64_t> Count(const std::string& user_id) override;
  core::Result<std::int64_t> CountAll() override;
  core::Result<std::vector<core::memory::Memory>> Recent(const std::string& user_id,
                                                         const core::memory::MemoryFilter& filter,
                                                         std::int64_t limit) override;
  core::Result<core::memory::MatchPage> Match(const std::string& user_id, const std::string& query,
                                              core::memory::MatchMode mode, const core::memory::MemoryFilter& filter,
                                              std::int64_t limit, std::int64_t offset,
                                              core::memory::MatchTotal total) override;
  core::Result<void> RecordAccess(const std::string& user_id, const std::vector<std::string>& ids,
                                  const std::string& now) override;

 private:
  Database& db_;
  MemoryTextSearch& search_;
};

}  // namespace atrium::storage::sql
