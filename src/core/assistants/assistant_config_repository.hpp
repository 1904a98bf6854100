#pragma once
// The assistant-config aggregate: configurations and users' gallery bookmarks.
// Blocking; thread-safe. Writes take the caller's unit of work so counters and rows
// change together.
//
// Isolation: the counters change by single relative statements (saves_count + 1, kept
// in step with the bookmark row by the same unit), so kReadCommitted suffices for
// AddSave/RemoveSave/AddUse; an update reads with Find(uow, ...) in a kSerializable
// unit, which locks the row until it ends.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/assistants/assistant_config.hpp"
#include "core/result.hpp"
#include "core/persistence/unit_of_work.hpp"

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

class AssistantConfigRepository {
 public:
  virtual ~AssistantConfigRepository() = default;

  virtual Result<void> Insert(persistence::UnitOfWork& uow, const AssistantConfig& config) = 0;
  // Writes every field but id, owner, counters and created_at.
  virtual Result<void> Update(persistence::UnitOfWork& uow, const AssistantConfig& config) = 0;
  virtual Result<void> Delete(persistence::UnitOfWork& uow, const std::string& id) = 0;
  virtual Result<std::optional<AssistantConfig>> Find(const std::string& id) = 0;
  // Read inside the unit, the row locked until it ends.
  virtual Result<std::optional<AssistantConfig>> Find(persistence::UnitOfWork& uow, const std::string& id) = 0;

  // The owner's private and public configs (not the templates an admin made), newest first.
  virtual Result<Page<AssistantConfig>> ListOwned(const std::string& owner_id, std::int64_t limit, std::int64_t offset) = 0;
  virtual Result<std::int64_t> CountOwned(const std::string& owner_id) = 0;
  virtual Result<Page<AssistantConfig>> Browse(const GalleryQuery& query) = 0;
  virtual Result<Page<AssistantConfig>> ListTemplates(std::int64_t limit, std::int64_t offset) = 0;

  // Bookmarks. Each returns whether anything changed, and keeps saves_count in step.
  virtual Result<bool> AddSave(persistence::UnitOfWork& uow, const std::string& user_id, const std::string& config_id,
                       const std::string& now) = 0;
  virtual Result<bool> RemoveSave(persistence::UnitOfWork& uow, const std::string& user_id, const std::string& config_id) = 0;
  // The user's bookmarks that are still public (or templates), most recently saved first.
  virtual Result<std::vector<AssistantConfig>> ListSaved(const std::string& user_id) = 0;
  virtual Result<void> AddUse(persistence::UnitOfWork& uow, const std::string& config_id) = 0;

};

}  // namespace atrium::core::assistants
