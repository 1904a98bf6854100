#pragma once
// An image a user generated: the request that made it and where its bytes are kept.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace atrium::core::images {

// What one generation produced, as the image's metadata reports it: the number of
// images the upstream returned (0: unknown, e.g. a record from before it was counted).
struct ImageUsage {
  std::int64_t images = 0;

  bool operator==(const ImageUsage&) const = default;
};

struct GeneratedImage {
  std::string id;
  std::string user_id;
  std::string prompt;
  std::string model_id;
  std::string negative_prompt;
  bool is_favorite = false;
  std::int64_t input_images_count = 0;
  std::int64_t generation_time_ms = 0;
  ImageUsage usage;
  std::string mime;  // of the stored bytes
  std::int64_t size_bytes = 0;
  std::string created_at;
};

// What to generate. Input images were checked with ParseInputImage.
struct ImageSpec {
  std::string model;
  std::string prompt;
  std::string negative_prompt;
  std::vector<std::string> input_images;  // data URIs or URLs
  std::string user_id;
};

// What an image backend returns: the decoded image.
struct ImageOutput {
  std::string bytes;
  ImageUsage usage;
};

// The engine that turns a spec into an image (the LLM gateway's image endpoint).
// Thread-safe; Generate blocks.
class ImageBackend {
 public:
  virtual ~ImageBackend() = default;
  virtual Result<ImageOutput> Generate(const ImageSpec& spec) = 0;
};

}  // namespace atrium::core::images
