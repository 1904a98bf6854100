#include "core/prompts/prompt_template_service.hpp"

#include <boost/json.hpp>
#include <optional>

namespace atrium::core::prompts {

namespace {

namespace json = boost::json;
using storage::Params;
using storage::Value;

constexpr const char* kColumns =
    "id, name, category, template_text, variables, description, usage_count, is_active, created_by, created_at,"
    " updated_at";

Error NotFound() { return Error(ErrorCode::kNotFound, "Template not found").WithReason(Reason::kTemplateNotFound); }

std::string VariablesJson(const std::vector<std::string>& names) {
  json::array a;
  for (const auto& n : names) a.emplace_back(n);
  return json::serialize(a);
}

PromptTemplate FromRow(const std::vector<Value>& r) {
  PromptTemplate t;
  t.id = storage::AsText(r[0]).value_or("");
  t.name = storage::AsText(r[1]).value_or("");
  t.category = storage::AsText(r[2]).value_or("");
  t.template_text = storage::AsText(r[3]).value_or("");
  // The text is the truth; the stored list only serves queries.
  t.variables = ExtractVariables(t.template_text);
  t.description = storage::AsText(r[5]).value_or("");
  t.usage_count = storage::AsInt(r[6]).value_or(0);
  t.is_active = storage::AsInt(r[7]).value_or(1) != 0;
  t.created_by = storage::AsText(r[8]).value_or("");
  t.created_at = storage::AsText(r[9]).value_or("");
  t.updated_at = storage::AsText(r[10]).value_or("");
  return t;
}

// On a Database or inside a transaction (an Executor).
template <class Queryable>
Result<std::optional<PromptTemplate>> Find(Queryable& q, const std::string& id) {
  auto rows = q.Query(std::string("SELECT ") + kColumns + " FROM prompt_templates WHERE id = ?", {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<PromptTemplate>{};
  return std::optional<PromptTemplate>{FromRow(rows->rows[0])};
}

}  // namespace

PromptTemplateService::PromptTemplateService(storage::Database& db, const Clock& clock, Random& random)
    : db_(db), clock_(clock), random_(random) {}

Result<std::vector<PromptTemplate>> PromptTemplateService::ListActive(const std::string& category) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM prompt_templates WHERE is_active = 1";
  Params params;
  if (!category.empty()) {
    sql += " AND category = ?";
    params.emplace_back(category);
  }
  sql += " ORDER BY category, name COLLATE NOCASE, id";
  auto rows = db_.Query(sql, params);
  if (!rows) return rows.error();
  std::vector<PromptTemplate> out;
  for (const auto& r : rows->rows) out.push_back(FromRow(r));
  return out;
}

Result<std::vector<std::string>> PromptTemplateService::Categories() {
  auto rows = db_.Query("SELECT DISTINCT category FROM prompt_templates WHERE is_active = 1 ORDER BY category");
  if (!rows) return rows.error();
  std::vector<std::string> out;
  for (const auto& r : rows->rows) out.push_back(storage::AsText(r[0]).value_or(""));
  return out;
}

Result<void> PromptTemplateService::RecordUse(const std::string& id) {
  auto changed =
      db_.Execute("UPDATE prompt_templates SET usage_count = usage_count + 1 WHERE id = ? AND is_active = 1", {id});
  if (!changed) return changed.error();
  if (*changed == 0) return NotFound();
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
  auto done = db_.Transact([&](storage::Executor& tx) -> Result<void> {
    auto stored = tx.Execute(
        "INSERT INTO prompt_templates(id, name, category, template_text, variables, description, usage_count,"
        " is_active, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,0,?,?,?,?)",
        Params{t.id, t.name, t.category, t.template_text, VariablesJson(t.variables), t.description,
               std::int64_t{t.is_active ? 1 : 0}, t.created_by, t.created_at, t.updated_at});
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
  auto done = db_.Transact([&](storage::Executor& tx) -> Result<void> {
    auto found = Find(tx, id);
    if (!found) return found.error();
    if (!*found) return NotFound();
    PromptTemplate t = std::move(**found);
    Apply(fields, t);
    t.updated_at = FormatRfc3339(clock_.Now());
    auto w = tx.Execute(
        "UPDATE prompt_templates SET name = ?, category = ?, template_text = ?, variables = ?, description = ?,"
        " is_active = ?, updated_at = ? WHERE id = ?",
        Params{t.name, t.category, t.template_text, VariablesJson(t.variables), t.description,
               std::int64_t{t.is_active ? 1 : 0}, t.updated_at, t.id});
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

Result<void> PromptTemplateService::Delete(const std::string& id, const storage::TransactionStep& also) {
  return db_.Transact([&](storage::Executor& tx) -> Result<void> {
    auto changed = tx.Execute("DELETE FROM prompt_templates WHERE id = ?", {id});
    if (!changed) return changed.error();
    if (*changed == 0) return NotFound();
    if (also) return also(tx);
    return Ok{};
  });
}

Result<PromptTemplate> PromptTemplateService::Get(const std::string& id) {
  auto found = Find(db_, id);
  if (!found) return found.error();
  if (!*found) return NotFound();
  return std::move(**found);
}

}  // namespace atrium::core::prompts
