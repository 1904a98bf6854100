#include "core/images/image_service.hpp"

#include "core/assistants/assistant_config.hpp"
#include "core/images/input_image.hpp"

namespace atrium::core::images {

namespace {

Error Invalid(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }
Error NotFound() { return Error(ErrorCode::kNotFound, "Image not found").WithReason(Reason::kImageNotFound); }

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

ImageService::ImageService(const persistence::Repositories& repos, blobs::BlobStore& blobs, ImageBackend* backend,
                           std::vector<std::string> models, const Clock& clock, Random& random)
    : images_(repos.images), blobs_(blobs), backend_(backend), models_(std::move(models)), clock_(clock), random_(random) {}

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
  image.usage = output->usage;
  image.size_bytes = static_cast<std::int64_t>(output->bytes.size());
  image.created_at = FormatRfc3339(clock_.Now());

  // Bytes first, then the record: a record never points at missing bytes.
  const std::string key = ImageBlobKey(image);
  if (auto put = blobs_.Put(key, output->bytes); !put) return put.error();
  auto stored = images_.Insert(image);
  if (!stored) {
    (void)blobs_.Remove(key);  // best effort: an orphan file is harmless, the error is what matters
    return stored.error();
  }
  return std::make_pair(std::move(image), std::move(output->bytes));
}

Result<ImagePage> ImageService::History(const std::string& user_id, bool favorites_only, std::int64_t limit,
                                        std::int64_t offset) {
  return images_.History(user_id, favorites_only, limit, offset);
}

Result<GeneratedImage> ImageService::Find(const std::string& user_id, const std::string& id) {
  auto found = images_.Find(user_id, id);
  if (!found) return found.error();
  if (!*found) return NotFound();
  return std::move(**found);
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
  auto removed = images_.Delete(user_id, id);
  if (!removed) return removed.error();
  if (!*removed) return NotFound();  // a concurrent delete won
  return blobs_.Remove(ImageBlobKey(*image));
}

Result<bool> ImageService::ToggleFavorite(const std::string& user_id, const std::string& id) {
  auto toggled = images_.ToggleFavorite(user_id, id);
  if (!toggled) return toggled.error();
  if (!*toggled) return NotFound();
  return **toggled;
}

}  // namespace atrium::core::images
