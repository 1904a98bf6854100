#pragma once
// The generated-image aggregate: the records (the bytes are in the blob store), each
// owned by its user. Blocking; thread-safe. Isolation: kReadCommitted; every write is
// one statement, ToggleFavorite flips and reads back the flag atomically.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/images/generated_image.hpp"
#include "core/result.hpp"

namespace atrium::core::images {

struct ImagePage {
  std::vector<GeneratedImage> images;
  std::int64_t total = 0;
};

class ImageRepository {
 public:
  virtual ~ImageRepository() = default;
  virtual Result<void> Insert(const GeneratedImage& image) = 0;
  // The user's images (only favorites with `favorites_only`), newest first: by
  // created_at, ties by insertion order, newest first.
  virtual Result<ImagePage> History(const std::string& user_id, bool favorites_only, std::int64_t limit,
                                    std::int64_t offset) = 0;
  // nullopt when there is no such image of this user.
  virtual Result<std::optional<GeneratedImage>> Find(const std::string& user_id, const std::string& id) = 0;
  // False when there was no such image of this user.
  virtual Result<bool> Delete(const std::string& user_id, const std::string& id) = 0;
  // The new favorite state, or nullopt when there is no such image of this user.
  virtual Result<std::optional<bool>> ToggleFavorite(const std::string& user_id, const std::string& id) = 0;
};

}  // namespace atrium::core::images
