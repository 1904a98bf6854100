#pragma once
// The prompt-template aggregate. Blocking; thread-safe.
// Isolation: RecordUse is one conditional statement (kReadCommitted); an update reads
// with Find(uow, ...) in a kSerializable unit, which locks the row until it ends.

#include <optional>
#include <string>
#include <vector>

#include "core/persistence/unit_of_work.hpp"
#include "core/prompts/prompt_template.hpp"
#include "core/result.hpp"

namespace atrium::core::prompts {

class PromptTemplateRepository {
 public:
  virtual ~PromptTemplateRepository() = default;
  // Active templates, optionally of one category (empty: all), by category, then name
  // (ASCII case-insensitive), then id.
  virtual Result<std::vector<PromptTemplate>> ListActive(const std::string& category) = 0;
  // The categories that have an active template, sorted.
  virtual Result<std::vector<std::string>> Categories() = 0;
  // Adds one to an active template's usage count; false for an unknown or inactive one.
  virtual Result<bool> RecordUse(const std::string& id) = 0;
  virtual Result<void> Insert(persistence::UnitOfWork& uow, const PromptTemplate& t) = 0;
  virtual Result<std::optional<PromptTemplate>> Find(const std::string& id) = 0;
  // Read inside the unit, the row locked until it ends.
  virtual Result<std::optional<PromptTemplate>> Find(persistence::UnitOfWork& uow, const std::string& id) = 0;
  // Writes every field but id, usage_count, created_by and created_at.
  virtual Result<void> Update(persistence::UnitOfWork& uow, const PromptTemplate& t) = 0;
  // False when there was no such template.
  virtual Result<bool> Delete(persistence::UnitOfWork& uow, const std::string& id) = 0;
};

}  // namespace atrium::core::prompts
