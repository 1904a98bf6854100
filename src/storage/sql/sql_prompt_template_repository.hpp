#pragma once
// PromptTemplateRepository in portable SQL (table prompt_templates).

#include "core/prompts/prompt_template_repository.hpp"
#include "storage/database.hpp"
#include "storage/sql/sql_flavor.hpp"

namespace atrium::storage::sql {

class SqlPromptTemplateRepository final : public core::prompts::PromptTemplateRepository {
 public:
  SqlPromptTemplateRepository(Database& db, SqlFlavor flavor) : db_(db), flavor_(std::move(flavor)) {}

  core::Result<std::vector<core::prompts::PromptTemplate>> ListActive(const std::string& category) override;
  core::Result<std::vector<std::string>> Categories() override;
  core::Result<bool> RecordUse(const std::string& id) override;
  core::Result<void> Insert(core::persistence::UnitOfWork& uow, const core::prompts::PromptTemplate& t) override;
  core::Result<std::optional<core::prompts::PromptTemplate>> Find(const std::string& id) override;
  core::Result<std::optional<core::prompts::PromptTemplate>> Find(core::persistence::UnitOfWork& uow,
                                                                  const std::string& id) override;
  core::Result<void> Update(core::persistence::UnitOfWork& uow, const core::prompts::PromptTemplate& t) override;
  core::Result<bool> Delete(core::persistence::UnitOfWork& uow, const std::string& id) override;

 private:
  Database& db_;
  SqlFlavor flavor_;
};

}  // namespace atrium::storage::sql
