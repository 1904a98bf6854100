#include "storage/sql/sql_assistant_config_repository.hpp"

#include <boost/json.hpp>

#include "storage/sql/sql_unit_of_work.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

using core::Ok;
using core::Result;
using core::assistants::AssistantConfig;
using core::assistants::GalleryQuery;
using core::assistants::GallerySort;
using core::assistants::Page;
using core::assistants::Visibility;
using core::persistence::UnitOfWork;

namespace {

namespace json = boost::json;

constexpr const char* kColumns =
    "c.id, c.owner_id, c.name, c.model_id, c.model_name, c.description, c.system_prompt, c.avatar, c.temperature,"
    " c.max_tokens, c.top_p, c.frequency_penalty, c.presence_penalty, c.tags, c.visibility, c.uses_count,"
    " c.saves_count, c.created_at, c.updated_at";

Value OptDouble(const std::optional<double>& v) { return v ? Value{*v} : Value{Null{}}; }
Value OptInt(const std::optional<std::int64_t>& v) { return v ? Value{*v} : Value{Null{}}; }

std::string TagsJson(const std::vector<std::string>& tags) {
  json::array a;
  for (const auto& t : tags) a.emplace_back(t);
  return json::serialize(a);
}

std::vector<std::string> ParseTags(const std::string& text) {
  std::vector<std::string> tags;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return tags;
  for (const auto& t : v.as_array()) {
    if (t.is_string()) tags.emplace_back(t.as_string());
  }
  return tags;
}

AssistantConfig FromRow(const std::vector<Value>& r) {
  AssistantConfig c;
  c.id = AsText(r[0]).value_or("");
  c.owner_id = AsText(r[1]).value_or("");
  c.name = AsText(r[2]).value_or("");
  c.model_id = AsText(r[3]).value_or("");
  c.model_name = AsText(r[4]).value_or("");
  c.description = AsText(r[5]).value_or("");
  c.system_prompt = AsText(r[6]).value_or("");
  c.avatar = AsText(r[7]).value_or("");
  c.parameters.temperature = AsDouble(r[8]);
  c.parameters.max_tokens = AsInt(r[9]);
  c.parameters.top_p = AsDouble(r[10]);
  c.parameters.frequency_penalty = AsDouble(r[11]);
  c.parameters.presence_penalty = AsDouble(r[12]);
  c.tags = ParseTags(AsText(r[13]).value_or("[]"));
  const std::string visibility = AsText(r[14]).value_or("private");
  c.visibility = visibility == "public"     ? Visibility::kPublic
                 : visibility == "template" ? Visibility::kTemplate
                                            : Visibility::kPrivate;
  c.uses_count = AsInt(r[15]).value_or(0);
  c.saves_count = AsInt(r[16]).value_or(0);
  c.created_at = AsText(r[17]).value_or("");
  c.updated_at = AsText(r[18]).value_or("");
  return c;
}

Result<std::optional<AssistantConfig>> FirstOf(Result<Rows> rows) {
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<AssistantConfig>{};
  return std::optional<AssistantConfig>{FromRow(rows->rows[0])};
}

}  // namespace

Result<void> SqlAssistantConfigRepository::Insert(UnitOfWork& uow, const AssistantConfig& c) {
  auto r = Tx(uow).Execute(
      "INSERT INTO assistant_configs(id, owner_id, name, model_id, model_name, description, system_prompt, avatar,"
      " temperature, max_tokens, top_p, frequency_penalty, presence_penalty, tags, visibility, uses_count,"
      " saves_count, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      Params{c.id, c.owner_id, c.name, c.model_id, c.model_name, c.description, c.system_prompt, c.avatar,
             OptDouble(c.parameters.temperature), OptInt(c.parameters.max_tokens), OptDouble(c.parameters.top_p),
             OptDouble(c.parameters.frequency_penalty), OptDouble(c.parameters.presence_penalty), TagsJson(c.tags),
             std::string(VisibilityName(c.visibility)), c.uses_count, c.saves_count, c.created_at, c.updated_at});
  if (!r) return r.error();
  return Ok{};
}

Result<void> SqlAssistantConfigRepository::Update(UnitOfWork& uow, const AssistantConfig& c) {
  auto r = Tx(uow).Execute(
      "UPDATE assistant_configs SET name = ?, model_id = ?, model_name = ?, description = ?, system_prompt = ?,"
      " avatar = ?, temperature = ?, max_tokens = ?, top_p = ?, frequency_penalty = ?, presence_penalty = ?,"
      " tags = ?, visibility = ?, updated_at = ? WHERE id = ?",
      Params{c.name, c.model_id, c.model_name, c.description, c.system_prompt, c.avatar,
             OptDouble(c.parameters.temperature), OptInt(c.parameters.max_tokens), OptDouble(c.parameters.top_p),
             OptDouble(c.parameters.frequency_penalty), OptDouble(c.parameters.presence_penalty), TagsJson(c.tags),
             std::string(VisibilityName(c.visibility)), c.updated_at, c.id});
  if (!r) return r.error();
  return Ok{};
}

Result<void> SqlAssistantConfigRepository::Delete(UnitOfWork& uow, const std::string& id) {
  auto r = Tx(uow).Execute("DELETE FROM assistant_configs WHERE id = ?", {id});
  if (!r) return r.error();
  return Ok{};
}

Result<std::optional<AssistantConfig>> SqlAssistantConfigRepository::Find(const std::string& id) {
  return FirstOf(db_.Query(std::string("SELECT ") + kColumns + " FROM assistant_configs c WHERE c.id = ?", {id}));
}

Result<std::optional<AssistantConfig>> SqlAssistantConfigRepository::Find(UnitOfWork& uow, const std::string& id) {
  return FirstOf(Tx(uow).Query(
      std::string("SELECT ") + kColumns + " FROM assistant_configs c WHERE c.id = ?" + flavor_.lock_rows, {id}));
}

Result<Page<AssistantConfig>> SqlAssistantConfigRepository::Paged(const std::string& where, const Params& params,
                                                          const std::string& order, std::int64_t limit,
                                                          std::int64_t offset) {
  auto count = db_.Query("SELECT COUNT(*) FROM assistant_configs c WHERE " + where, params);
  if (!count) return count.error();
  Params page_params = params;
  page_params.emplace_back(limit);
  page_params.emplace_back(offset);
  auto rows = db_.Query(std::string("SELECT ") + kColumns + " FROM assistant_configs c WHERE " + where + " ORDER BY " +
                            order + " LIMIT ? OFFSET ?",
                        page_params);
  if (!rows) return rows.error();
  Page<AssistantConfig> page;
  page.total = AsInt(count->rows[0][0]).value_or(0);
  for (const auto& r : rows->rows) page.items.push_back(FromRow(r));
  return page;
}

Result<Page<AssistantConfig>> SqlAssistantConfigRepository::ListOwned(const std::string& owner_id, std::int64_t limit,
                                                              std::int64_t offset) {
  return Paged("c.owner_id = ? AND c.visibility IN ('private', 'public')", {owner_id}, "c.created_at DESC, c.id", limit,
               offset);
}

Result<std::int64_t> SqlAssistantConfigRepository::CountOwned(const std::string& owner_id) {
  auto rows = db_.Query(
      "SELECT COUNT(*) FROM assistant_configs WHERE owner_id = ? AND visibility IN ('private', 'public')", {owner_id});
  if (!rows) return rows.error();
  return AsInt(rows->rows[0][0]).value_or(0);
}

Result<Page<AssistantConfig>> SqlAssistantConfigRepository::Browse(const GalleryQuery& q) {
  std::string where = "c.visibility = 'public'";
  Params params;
  if (!q.search.empty()) {
    where += " AND (lower(c.name) LIKE ? ESCAPE '\\' OR lower(c.description) LIKE ? ESCAPE '\\')";
    const std::string pattern = LikeContains(q.search, /*lower=*/true);
    params.emplace_back(pattern);
    params.emplace_back(pattern);
  }
  if (!q.tags.empty()) {
    // tags is a compact JSON array of strings: an element is exactly its serialised form
    // right after '[' or ','; inside an element a quote is always escaped, so neither
    // '["' nor ',"' can occur there. Portable and exact, no JSON functions needed.
    where += " AND (";
    for (std::size_t i = 0; i < q.tags.size(); ++i) {
      const std::string element = json::serialize(json::string(q.tags[i]));
      if (i > 0) where += " OR ";
      where += "c.tags LIKE ? ESCAPE '\\' OR c.tags LIKE ? ESCAPE '\\'";
      params.emplace_back(LikeContains("[" + element));
      params.emplace_back(LikeContains("," + element));
    }
    where += ")";
  }
  if (!q.model_id.empty()) {
    where += " AND c.model_id = ?";
    params.emplace_back(q.model_id);
  }
  const char* order = q.sort == GallerySort::kSaves    ? "c.saves_count DESC, c.created_at DESC, c.id"
                      : q.sort == GallerySort::kNewest ? "c.created_at DESC, c.id"
                                                       : "c.uses_count DESC, c.created_at DESC, c.id";
  return Paged(where, params, order, q.limit, q.offset);
}

Result<Page<AssistantConfig>> SqlAssistantConfigRepository::ListTemplates(std::int64_t limit, std::int64_t offset) {
  return Paged("c.visibility = 'template'", {}, "lower(c.name), c.id", limit, offset);
}

Result<bool> SqlAssistantConfigRepository::AddSave(UnitOfWork& uow, const std::string& user_id,
                                           const std::string& config_id, const std::string& now) {
  auto added = Tx(uow).Execute(
      "INSERT INTO assistant_config_saves(user_id, config_id, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
      {user_id, config_id, now});
  if (!added) return added.error();
  if (*added == 0) return false;
  auto counted = Tx(uow).Execute("UPDATE assistant_configs SET saves_count = saves_count + 1 WHERE id = ?", {config_id});
  if (!counted) return counted.error();
  return true;
}

Result<bool> SqlAssistantConfigRepository::RemoveSave(UnitOfWork& uow, const std::string& user_id,
                                              const std::string& config_id) {
  auto removed =
      Tx(uow).Execute("DELETE FROM assistant_config_saves WHERE user_id = ? AND config_id = ?", {user_id, config_id});
  if (!removed) return removed.error();
  if (*removed == 0) return false;
  auto counted =
      Tx(uow).Execute("UPDATE assistant_configs SET saves_count = CASE WHEN saves_count > 0 THEN saves_count - 1 ELSE 0 END"
                 " WHERE id = ?", {config_id});
  if (!counted) return counted.error();
  return true;
}

Result<std::vector<AssistantConfig>> SqlAssistantConfigRepository::ListSaved(const std::string& user_id) {
  auto rows = db_.Query(std::string("SELECT ") + kColumns +
                            " FROM assistant_config_saves s JOIN assistant_configs c ON c.id = s.config_id"
                            " WHERE s.user_id = ? AND c.visibility IN ('public', 'template')"
                            " ORDER BY s.created_at DESC, c.id",
                        {user_id});
  if (!rows) return rows.error();
  std::vector<AssistantConfig> out;
  for (const auto& r : rows->rows) out.push_back(FromRow(r));
  return out;
}

Result<void> SqlAssistantConfigRepository::AddUse(UnitOfWork& uow, const std::string& config_id) {
  auto r = Tx(uow).Execute("UPDATE assistant_configs SET uses_count = uses_count + 1 WHERE id = ?", {config_id});
  if (!r) return r.error();
  return Ok{};
}

}  // namespace atrium::storage::sql
