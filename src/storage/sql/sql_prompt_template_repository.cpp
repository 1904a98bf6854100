#include "storage/sql/sql_prompt_template_repository.hpp"

#include <boost/json.hpp>

#include "storage/sql/sql_unit_of_work.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace {

namespace json = boost::json;
using core::prompts::PromptTemplate;

constexpr const char* kColumns =
    "id, name, category, template_text, variables, description, usage_count, is_active, created_by, created_at,"
    " updated_at";

std::string VariablesJson(const std::vector<std::string>& names) {
  json::array a;
  for (const auto& n : names) a.emplace_back(n);
  return json::serialize(a);
}

PromptTemplate FromRow(const std::vector<Value>& r) {
  PromptTemplate t;
  t.id = Text(r[0]);
  t.name = Text(r[1]);
  t.category = Text(r[2]);
  t.template_text = Text(r[3]);
  // The text is the truth; the stored list only serves queries.
  t.variables = core::prompts::ExtractVariables(t.template_text);
  t.description = Text(r[5]);
  t.usage_count = Int(r[6]);
  t.is_active = Int(r[7], 1) != 0;
  t.created_by = Text(r[8]);
  t.created_at = Text(r[9]);
  t.updated_at = Text(r[10]);
  return t;
}

template <class Queryable>
core::Result<std::optional<PromptTemplate>> FindIn(Queryable& q, const std::string& id, const std::string& lock) {
  auto rows = q.Query(std::string("SELECT ") + kColumns + " FROM prompt_templates WHERE id = ?" + lock, {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<PromptTemplate>{};
  return std::optional<PromptTemplate>{FromRow(rows->rows[0])};
}

}  // namespace

core::Result<std::vector<PromptTemplate>> SqlPromptTemplateRepository::ListActive(const std::string& category) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM prompt_templates WHERE is_active = 1";
  Params params;
  if (!category.empty()) {
    sql += " AND category = ?";
    params.emplace_back(category);
  }
  sql += " ORDER BY category, lower(name), id";
  auto rows = db_.Query(sql, params);
  if (!rows) return rows.error();
  std::vector<PromptTemplate> out;
  for (const auto& r : rows->rows) out.push_back(FromRow(r));
  return out;
}

core::Result<std::vector<std::string>> SqlPromptTemplateRepository::Categories() {
  auto rows = db_.Query("SELECT DISTINCT category FROM prompt_templates WHERE is_active = 1 ORDER BY category");
  if (!rows) return rows.error();
  std::vector<std::string> out;
  for (const auto& r : rows->rows) out.push_back(Text(r[0]));
  return out;
}

core::Result<bool> SqlPromptTemplateRepository::RecordUse(const std::string& id) {
  auto changed =
      db_.Execute("UPDATE prompt_templates SET usage_count = usage_count + 1 WHERE id = ? AND is_active = 1", {id});
  if (!changed) return changed.error();
  return *changed > 0;
}

core::Result<void> SqlPromptTemplateRepository::Insert(core::persistence::UnitOfWork& uow, const PromptTemplate& t) {
  auto stored = Tx(uow).Execute(
      "INSERT INTO prompt_templates(id, name, category, template_text, variables, description, usage_count,"
      " is_active, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,0,?,?,?,?)",
      Params{t.id, t.name, t.category, t.template_text, VariablesJson(t.variables), t.description, Bool(t.is_active),
             t.created_by, t.created_at, t.updated_at});
  if (!stored) return stored.error();
  return core::Ok{};
}

core::Result<std::optional<PromptTemplate>> SqlPromptTemplateRepository::Find(const std::string& id) {
  return FindIn(db_, id, "");
}

core::Result<std::optional<PromptTemplate>> SqlPromptTemplateRepository::Find(core::persistence::UnitOfWork& uow,
                                                                              const std::string& id) {
  return FindIn(Tx(uow), id, flavor_.lock_rows);
}

core::Result<void> SqlPromptTemplateRepository::Update(core::persistence::UnitOfWork& uow, const PromptTemplate& t) {
  auto w = Tx(uow).Execute(
      "UPDATE prompt_templates SET name = ?, category = ?, template_text = ?, variables = ?, description = ?,"
      " is_active = ?, updated_at = ? WHERE id = ?",
      Params{t.name, t.category, t.template_text, VariablesJson(t.variables), t.description, Bool(t.is_active),
             t.updated_at, t.id});
  if (!w) return w.error();
  return core::Ok{};
}

core::Result<bool> SqlPromptTemplateRepository::Delete(core::persistence::UnitOfWork& uow, const std::string& id) {
  auto changed = Tx(uow).Execute("DELETE FROM prompt_templates WHERE id = ?", {id});
  if (!changed) return changed.error();
  return *changed > 0;
}

}  // namespace atrium::storage::sql
