#include "storage/sql/sql_image_repository.hpp"

#include <boost/json.hpp>

#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace {

namespace json = boost::json;
using core::images::GeneratedImage;
using core::images::ImageUsage;

// The usage column: a JSON object ({"images": n}, or {} when unknown).
std::string UsageText(const ImageUsage& usage) {
  json::object o;
  if (usage.images > 0) o["images"] = usage.images;
  return json::serialize(o);
}

ImageUsage UsageFrom(const std::string& text) {
  ImageUsage usage;
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return usage;
  if (const auto* n = v.as_object().if_contains("images"); n != nullptr && n->is_int64()) usage.images = n->as_int64();
  return usage;
}

constexpr const char* kColumns =
    "id, user_id, prompt, model_id, negative_prompt, is_favorite, input_images_count, generation_time_ms, usage,"
    " mime, size_bytes, created_at";

GeneratedImage FromRow(const std::vector<Value>& r) {
  GeneratedImage g;
  g.id = Text(r[0]);
  g.user_id = Text(r[1]);
  g.prompt = Text(r[2]);
  g.model_id = Text(r[3]);
  g.negative_prompt = Text(r[4]);
  g.is_favorite = AsBool(r[5]);
  g.input_images_count = Int(r[6]);
  g.generation_time_ms = Int(r[7]);
  g.usage = UsageFrom(Text(r[8], "{}"));
  g.mime = Text(r[9]);
  g.size_bytes = Int(r[10]);
  g.created_at = Text(r[11]);
  return g;
}

}  // namespace

core::Result<void> SqlImageRepository::Insert(const GeneratedImage& image) {
  // seq is assigned by the database (migration 11 for SQLite).
  auto stored =
      db_.Execute(std::string("INSERT INTO generated_images(") + kColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                  Params{image.id, image.user_id, image.prompt, image.model_id, image.negative_prompt,
                         Bool(image.is_favorite), image.input_images_count, image.generation_time_ms, UsageText(image.usage),
                         image.mime, image.size_bytes, image.created_at});
  if (!stored) return stored.error();
  return core::Ok{};
}

core::Result<core::images::ImagePage> SqlImageRepository::History(const std::string& user_id, bool favorites_only,
                                                                  std::int64_t limit, std::int64_t offset) {
  const std::string where = favorites_only ? " WHERE user_id = ? AND is_favorite = 1" : " WHERE user_id = ?";
  auto count = db_.Query("SELECT COUNT(*) FROM generated_images" + where, {user_id});
  if (!count) return count.error();
  auto rows = db_.Query(std::string("SELECT ") + kColumns + " FROM generated_images" + where +
                            " ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?",
                        {user_id, limit, offset});
  if (!rows) return rows.error();
  core::images::ImagePage page;
  page.total = Int(count->rows[0][0]);
  for (const auto& r : rows->rows) page.images.push_back(FromRow(r));
  return page;
}

core::Result<std::optional<GeneratedImage>> SqlImageRepository::Find(const std::string& user_id,
                                                                     const std::string& id) {
  auto rows = db_.Query(std::string("SELECT ") + kColumns + " FROM generated_images WHERE id = ? AND user_id = ?",
                        {id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<GeneratedImage>{};
  return std::optional<GeneratedImage>{FromRow(rows->rows[0])};
}

core::Result<bool> SqlImageRepository::Delete(const std::string& user_id, const std::string& id) {
  auto removed = db_.Execute("DELETE FROM generated_images WHERE id = ? AND user_id = ?", {id, user_id});
  if (!removed) return removed.error();
  return *removed > 0;
}

core::Result<std::optional<bool>> SqlImageRepository::ToggleFavorite(const std::string& user_id,
                                                                     const std::string& id) {
  std::optional<bool> state;
  auto done = db_.Transact([&](Executor& tx) -> core::Result<void> {
    auto rows = tx.Query(
        "UPDATE generated_images SET is_favorite = 1 - is_favorite WHERE id = ? AND user_id = ? RETURNING is_favorite",
        {id, user_id});
    if (!rows) return rows.error();
    if (!rows->empty()) state = AsBool(rows->rows[0][0]);
    return core::Ok{};
  });
  if (!done) return done.error();
  return state;
}

}  // namespace atrium::storage::sql
