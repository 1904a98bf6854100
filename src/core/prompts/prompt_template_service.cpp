#include "core/prompts/prompt_template_service.hpp"

#include <optional>

namespace atrium::core::prompts {

namespace {

Error NotFound() { return Error(ErrorCode::kNotFound, "Template not found").WithReason(Reason::kTemplateNotFound); }

}  // namespace

PromptTemplateService::PromptTemplateService(const persistence::Repositories& repos, const Clock& clock,
                                             Random& random)
    : transactions_(repos.transactions), templates_(repos.prompt_templates), clock_(clock), random_(random) {}

Result<std::vector<PromptTemplate>> PromptTemplateService::ListActive(const std::string& category) {
  return templates_.ListActive(category);
}

Result<std::vector<std::string>> PromptTemplateService::Categories() { return templates_.Categories(); }

Result<void> PromptTemplateService::RecordUse(const std::string& id) {
  auto used = templates_.RecordUse(id);
  if (!used) return used.error();
  if (!*used) return NotFound();
  return Ok{};
}

Result<PromptTemplate> PromptTemplateService::Create(const std::string& admin_id, const TemplateFields& fields,
                                                     const AlsoWith& also) {
  if (auto valid = Validate(fields, true); !valid) return valid.error();
  PromptTemplate t;
  Apply(fields, t);
  t.id = NewUuid(random_);
  t.created_by = admin_id;
  t.created_at = t.updated_at = FormatRfc3339(clock_.Now());
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto stored = templates_.Insert(tx, t);
    if (!stored) return stored.error();
    if (also) return also(tx, t);
    return Ok{};
  });
  if (!done) return done.error();
  return t;
}

Result<PromptTemplate> PromptTemplateService::Update(const std::string& id, const TemplateFields& fields,
                                                     const AlsoWith& also) {
  if (auto valid = Validate(fields, false); !valid) return valid.error();
  std::optional<PromptTemplate> updated;
  // Read-modify-write: serializable, the row locked by the read.
  auto done = transactions_.Run(persistence::Isolation::kSerializable, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto found = templates_.Find(tx, id);
    if (!found) return found.error();
    if (!*found) return NotFound();
    PromptTemplate t = std::move(**found);
    Apply(fields, t);
    t.updated_at = FormatRfc3339(clock_.Now());
    auto w = templates_.Update(tx, t);
    if (!w) return w.error();
    if (also) {
      if (auto a = also(tx, t); !a) return a;
    }
    updated = std::move(t);
    return Ok{};
  });
  if (!done) return done.error();
  return std::move(*updated);
}

Result<void> PromptTemplateService::Delete(const std::string& id, const persistence::TransactionStep& also) {
  return transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& tx) -> Result<void> {
    auto deleted = templates_.Delete(tx, id);
    if (!deleted) return deleted.error();
    if (!*deleted) return NotFound();
    if (also) return also(tx);
    return Ok{};
  });
}

Result<PromptTemplate> PromptTemplateService::Get(const std::string& id) {
  auto found = templates_.Find(id);
  if (!found) return found.error();
  if (!*found) return NotFound();
  return std::move(**found);
}

}  // namespace atrium::core::prompts
