#pragma once
// Reference images a client sends for image-to-image generation: base64 data URIs or
// http(s) URLs, checked before anything is sent upstream.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace atrium::core::images {

inline constexpr std::size_t kMaxInputImages = 14;
inline constexpr std::size_t kMaxInputImageBytes = 10 * 1024 * 1024;  // decoded
inline constexpr std::size_t kMaxImageUrlChars = 2048;

struct InputImage {
  enum class Kind { kDataUri, kUrl };
  Kind kind = Kind::kUrl;
  std::string mime;       // for data URIs: image/png, image/jpeg, image/webp or image/gif
  std::size_t bytes = 0;  // decoded size, for data URIs
};

// The image type that `bytes` start with ("image/png", ...), or "" when none of the
// four. Used for data URIs and for what an upstream returns, so a declared type is
// never trusted alone.
std::string SniffImageType(std::string_view bytes);

// kInvalidArgument with a message that names `field` ("input_images[2]").
Result<InputImage> ParseInputImage(std::string_view text, std::string_view field);

}  // namespace atrium::core::images
