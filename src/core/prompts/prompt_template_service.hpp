#pragma once
// Stores prompt templates and counts their uses. Blocking; thread-safe. Admin rights
// are checked by the caller.

#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/prompts/prompt_template.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "core/persistence/repositories.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "core/prompts/prompt_template_repository.hpp"

namespace atrium::core::prompts {

class PromptTemplateService {
 public:
  PromptTemplateService(const persistence::Repositories& repos, const Clock& clock, Random& random);

  // Active templates, optionally of one category (empty: all), by category then name.
  Result<std::vector<PromptTemplate>> ListActive(const std::string& category);
  // The categories that have an active template, sorted.
  Result<std::vector<std::string>> Categories();
  // Counts one use of an active template (kNotFound for an unknown or inactive one).
  Result<void> RecordUse(const std::string& id);

  // What runs in the same write transaction as a change, after it, given the template as
  // written (the admin's audit entry): its error rolls the change back and is returned.
  using AlsoWith = std::function<Result<void>(persistence::UnitOfWork&, const PromptTemplate&)>;

  Result<PromptTemplate> Create(const std::string& admin_id, const TemplateFields& fields, const AlsoWith& also = {});
  Result<PromptTemplate> Update(const std::string& id, const TemplateFields& fields, const AlsoWith& also = {});
  Result<void> Delete(const std::string& id, const persistence::TransactionStep& also = {});
  Result<PromptTemplate> Get(const std::string& id);

 private:
  persistence::Transactions& transactions_;
  PromptTemplateRepository& templates_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace atrium::core::prompts
