#pragma once
// AssistantConfigRepository in portable SQL (tables assistant_configs,
// assistant_config_saves).

#include "core/assistants/assistant_config_repository.hpp"
#include "storage/database.hpp"
#include "storage/sql/sql_flavor.hpp"

namespace atrium::storage::sql {

class SqlAssistantConfigRepository final : public core::assistants::AssistantConfigRepository {
 public:
  SqlAssistantConfigRepository(Database& db, SqlFlavor flavor) : db_(db), flavor_(std::move(flavor)) {}

  core::Result<void> Insert(core::persistence::UnitOfWork& uow,
                            const core::assistants::AssistantConfig& config) override;
  core::Result<void> Update(core::persistence::UnitOfWork& uow,
                            const core::assistants::AssistantConfig& config) override;
  core::Result<void> Delete(core::persistence::UnitOfWork& uow, const std::string& id) override;
  core::Result<std::optional<core::assistants::AssistantConfig>> Find(const std::string& id) override;
  core::Result<std::optional<core::assistants::AssistantConfig>> Find(core::persistence::UnitOfWork& uow,
                                                                      const std::string& id) override;
  core::Result<core::assistants::Page<core::assistants::AssistantConfig>> ListOwned(const std::string& owner_id,
                                                                                    std::int64_t limit,
                                                                                    std::int64_t offset) override;
  core::Result<std::int64_t> CountOwned(const std::string& owner_id) override;
  core::Result<core::assistants::Page<core::assistants::AssistantConfig>> Browse(
      const core::assistants::GalleryQuery& query) override;
  core::Result<core::assistants::Page<core::assistants::AssistantConfig>> ListTemplates(std::int64_t limit,
                                                                                        std::int64_t offset) override;
  core::Result<bool> AddSave(core::persistence::UnitOfWork& uow, const std::string& user_id,
                             const std::string& config_id, const std::string& now) override;
  core::Result<bool> RemoveSave(core::persistence::UnitOfWork& uow, const std::string& user_id,
                                const std::string& config_id) override;
  core::Result<std::vector<core::assistants::AssistantConfig>> ListSaved(const std::string& user_id) override;
  core::Result<void> AddUse(core::persistence::UnitOfWork& uow, const std::string& config_id) override;

 private:
  core::Result<core::assistants::Page<core::assistants::AssistantConfig>> Paged(const std::string& where,
                                                                                const Params& params,
                                                                                const std::string& order,
                                                                                std::int64_t limit,
                                                                                std::int64_t offset);

  Database& db_;
  SqlFlavor flavor_;
};

}  // namespace atrium::storage::sql
