#include "core/images/image_service.hpp"

#include "core/assistants/assistant_config.hpp"
#include "core/images/input_image.hpp"

namespace atrium::core::images {

namespace {

using storage::Params;
using storage::Value;

constexpr const char* kColumns =
    "id, user_id, prompt, model_id, negative_prompt, is_favorite, input_images_count, generation_time_ms, usage,"
    " mime, size_bytes, created_at";

Error Invalid(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }
Error NotFound() { return Error(ErrorCode::kNotFound, "Image not found").WithReason(Reason::kImageNotFound); }

GeneratedImage FromRow(const std::vector<Value>& r) {
  GeneratedImage g;
  g.id = storage::AsText(r[0]).value_or("");
  g.user_id = storage::AsText(r[1]).value_or("");
  g.prompt = storage::AsText(r[2]).value_or("");
  g.model_id = storage::AsText(r[3]).value_or("");
  g.negative_prompt = storage::AsText(r[4]).value_or("");
  g.is_favorite = storage::AsInt(r[5]).value_or(0) != 0;
  g.input_images_count = storage::AsInt(r[6]).value_or(0);
  g.generation_time_ms = storage::AsInt(r[7]).value_or(0);
  g.usage_json = storage::AsText(r[8]).value_or("{}");
  g.mime = storage::AsText(r[9]).value_or("");
  g.size_bytes = storage::AsInt(r[10]).value_or(0);
  g.created_at = storage::AsText(r[11]).value_or("");
  return g;
}

Result<void> Validate(const ImageSpec& spec) {
  using assistants::CharCount;
  if (spec.prompt.find_first_not_of(" \t\r\n") == std::string::npos) return Invalid("prompt is required");
  if (CharCount(spec.prompt) > kMaxPromptChars) return Invalid("prompt must be at most 4000 characters");
  if (spec.model.empty()) return Invalid("model is required");
  if (spec.model.size() > assistants::kMaxModelIdChars) return Invalid("model must be at most 200 characters");
  for (unsigned char c : spec.model) {
    if (c <= ' ' || c == 0x7F) return Invalid("model must not contain spaces or control characters");
  }
  if (CharCount(spec.negative_prompt) > kMaxNegativePromptChars) {
    return Invalid("negative_prompt must be at most 2000 characters");
  }
  if (spec.input_images.size() > kMaxInputImages) return Invalid("input_images: at most 14 images");
  for (std::size_t i = 0; i < spec.input_images.size(); ++i) {
    auto parsed = ParseInputImage(spec.input_images[i], "input_images[" + std::to_string(i) + "]");
    if (!parsed) return parsed.error();
  }
  return Ok{};
}

}  // namespace

std::string ImageBlobKey(const GeneratedImage& image) { return "images/" + image.user_id + "/" + image.id; }

ImageService::ImageService(storage::Database& db, blobs::BlobStore& blobs, ImageBackend* backend,
                           std::vector<std::string> models, const Clock& clock, Random& random)
    : db_(db), blobs_(blobs), backend_(backend), models_(std::move(models)), clock_(clock), random_(random) {}

Result<std::pair<GeneratedImage, std::string>> ImageService::Generate(const std::string& user_id, ImageSpec spec) {
  if (auto valid = Validate(spec); !valid) return valid.error();
  if (backend_ == nullptr) {
    return Error(ErrorCode::kUnavailable, "No image generation upstream is configured")
        .WithReason(Reason::kLlmNotConfigured);
  }
  spec.user_id = user_id;
  const auto started = clock_.Steady();
  auto output = backend_->Generate(spec);
  if (!output) return output.error();
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Steady() - started);

  GeneratedImage image;
  image.mime = SniffImageType(output->bytes);
  if (image.mime.empty()) {
    return Error(ErrorCode::kUnavailable, "The image upstream returned no usable image", "unrecognised image bytes")
        .WithReason(Reason::kLlmBadResponse);
  }
  image.id = NewUuid(random_);
  image.user_id = user_id;
  image.prompt = std::move(spec.prompt);
  image.model_id = std::move(spec.model);
  image.negative_prompt = std::move(spec.negative_prompt);
  image.input_images_count = static_cast<std::int64_t>(spec.input_images.size());
  image.generation_time_ms = elapsed.count();
  image.usage_json = output->usage_json.empty() ? "{}" : output->usage_json;
  image.size_bytes = static_cast<std::int64_t>(output->bytes.size());
  image.created_at = FormatRfc3339(clock_.Now());

  // Bytes first, then the record: a record never points at missing bytes.
  const std::string key = ImageBlobKey(image);
  if (auto put = blobs_.Put(key, output->bytes); !put) return put.error();
  auto stored =
      db_.Execute(std::string("INSERT INTO generated_images(") + kColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                  Params{image.id, image.user_id, image.prompt, image.model_id, image.negative_prompt, std::int64_t{0},
                         image.input_images_count, image.generation_time_ms, image.usage_json, image.mime,
                         image.size_bytes, image.created_at});
  if (!stored) {
    (void)blobs_.Remove(key);  // best effort: an orphan file is harmless, the error is what matters
    return stored.error();
  }
  return std::make_pair(std::move(image), std::move(output->bytes));
}

Result<ImagePage> ImageService::History(const std::string& user_id, bool favorites_only, std::int64_t limit,
                                        std::int64_t offset) {
  const std::string where = favorites_only ? " WHERE user_id = ? AND is_favorite = 1" : " WHERE user_id = ?";
  auto count = db_.Query("SELECT COUNT(*) FROM generated_images" + where, {user_id});
  if (!count) return count.error();
  auto rows = db_.Query(std::string("SELECT ") + kColumns + " FROM generated_images" + where +
                            " ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
                        {user_id, limit, offset});
  if (!rows) return rows.error();
  ImagePage page;
  page.total = storage::AsInt(count->rows[0][0]).value_or(0);
  for (const auto& r : rows->rows) page.images.push_back(FromRow(r));
  return page;
}

Result<GeneratedImage> ImageService::Find(const std::string& user_id, const std::string& id) {
  auto rows = db_.Query(std::string("SELECT ") + kColumns + " FROM generated_images WHERE id = ? AND user_id = ?",
                        {id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return NotFound();
  return FromRow(rows->rows[0]);
}

Result<std::pair<GeneratedImage, std::string>> ImageService::Read(const std::string& user_id, const std::string& id) {
  auto image = Find(user_id, id);
  if (!image) return image.error();
  auto bytes = blobs_.Get(ImageBlobKey(*image));
  if (!bytes) return bytes.error().code() == ErrorCode::kNotFound ? NotFound() : bytes.error();
  return std::make_pair(std::move(*image), std::move(*bytes));
}

Result<void> ImageService::Delete(const std::string& user_id, const std::string& id) {
  auto image = Find(user_id, id);
  if (!image) return image.error();
  auto removed = db_.Execute("DELETE FROM generated_images WHERE id = ? AND user_id = ?", {id, user_id});
  if (!removed) return removed.error();
  if (*removed == 0) return NotFound();  // a concurrent delete won
  return blobs_.Remove(ImageBlobKey(*image));
}

Result<bool> ImageService::ToggleFavorite(const std::string& user_id, const std::string& id) {
  auto changed = db_.Execute("UPDATE generated_images SET is_favorite = 1 - is_favorite WHERE id = ? AND user_id = ?",
                             {id, user_id});
  if (!changed) return changed.error();
  if (*changed == 0) return NotFound();
  auto image = Find(user_id, id);
  if (!image) return image.error();
  return image->is_favorite;
}

}  // namespace atrium::core::images
