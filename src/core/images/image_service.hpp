#pragma once
// Image generation for users: validates the request, runs the backend, keeps every
// image (bytes in the blob store, the record in the database) owned by its user, and
// serves the history. Another user's image is kNotFound, like a missing one.
//
// Thread-safety: every method may be called from several threads. All block.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/blobs/blob_store.hpp"
#include "core/clock.hpp"
#include "core/images/generated_image.hpp"
#include "core/images/image_repository.hpp"
#include "core/persistence/repositories.hpp"
#include "core/random.hpp"
#include "core/result.hpp"

namespace atrium::core::images {

inline constexpr std::size_t kMaxPromptChars = 4000;
inline constexpr std::size_t kMaxNegativePromptChars = 2000;

class ImageService {
 public:
  // `backend` may be null: then Generate fails with kUnavailable ("llm_not_configured").
  // `models` are the image model ids offered to clients.
  ImageService(const persistence::Repositories& repos, blobs::BlobStore& blobs, ImageBackend* backend, std::vector<std::string> models,
               const Clock& clock, Random& random);

  // The stored record and the image bytes. kInvalidArgument for a bad spec (the message
  // names the field); the backend's error when generation fails (nothing is stored).
  Result<std::pair<GeneratedImage, std::string>> Generate(const std::string& user_id, ImageSpec spec);
  // Newest first.
  Result<ImagePage> History(const std::string& user_id, bool favorites_only, std::int64_t limit, std::int64_t offset);
  Result<std::pair<GeneratedImage, std::string>> Read(const std::string& user_id, const std::string& id);
  Result<void> Delete(const std::string& user_id, const std::string& id);
  // The new favorite state.
  Result<bool> ToggleFavorite(const std::string& user_id, const std::string& id);

  bool configured() const { return backend_ != nullptr; }
  const std::vector<std::string>& models() const { return models_; }

 private:
  Result<GeneratedImage> Find(const std::string& user_id, const std::string& id);

  ImageRepository& images_;
  blobs::BlobStore& blobs_;
  ImageBackend* backend_;
  const std::vector<std::string> models_;
  const Clock& clock_;
  Random& random_;
};

// The blob key of an image.
std::string ImageBlobKey(const GeneratedImage& image);

}  // namespace atrium::core::images
