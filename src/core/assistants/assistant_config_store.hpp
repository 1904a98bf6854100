#pragma once
// SQL for assistant configurations and users' gallery bookmarks. Blocking; writes take
// the caller's transaction so counters and rows change together.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/assistants/assistant_config.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace atrium::core::assistants {

enum class GallerySort { kUses, kSaves, kNewest };

struct GalleryQuery {
  std::string search;             // in name and description, case-insensitive; empty: all
  std::vector<std::string> tags;  // a config matches when it has any of them; empty: all
  std::string model_id;           // exact; empty: all
  GallerySort sort = GallerySort::kUses;
  std::int64_t limit = 20;
  std::int64_t offset = 0;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
};

class AssistantConfigStore {
 public:
  explicit AssistantConfigStore(storage::Database& db) : db_(db) {}

  Result<void> Insert(storage::Executor& tx, const AssistantConfig& config);
  // Writes every field but id, owner, counters and created_at.
  Result<void> Update(storage::Executor& tx, const AssistantConfig& config);
  Result<void> Delete(storage::Executor& tx, const std::string& id);
  Result<std::optional<AssistantConfig>> Find(const std::string& id);
  Result<std::optional<AssistantConfig>> Find(storage::Executor& tx, const std::string& id);

  // The owner's private and public configs (not the templates an admin made), newest first.
  Result<Page<AssistantConfig>> ListOwned(const std::string& owner_id, std::int64_t limit, std::int64_t offset);
  Result<std::int64_t> CountOwned(const std::string& owner_id);
  Result<Page<AssistantConfig>> Browse(const GalleryQuery& query);
  Result<Page<AssistantConfig>> ListTemplates(std::int64_t limit, std::int64_t offset);

  // Bookmarks. Each returns whether anything changed, and keeps saves_count in step.
  Result<bool> AddSave(storage::Executor& tx, const std::string& user_id, const std::string& config_id,
                       const std::string& now);
  Result<bool> RemoveSave(storage::Executor& tx, const std::string& user_id, const std::string& config_id);
  // The user's bookmarks that are still public (or templates), most recently saved first.
  Result<std::vector<AssistantConfig>> ListSaved(const std::string& user_id);
  Result<void> AddUse(storage::Executor& tx, const std::string& config_id);

 private:
  Result<Page<AssistantConfig>> Paged(const std::string& where, const storage::Params& params, const std::string& order,
                                      std::int64_t limit, std::int64_t offset);

  storage::Database& db_;
};

}  // namespace atrium::core::assistants
