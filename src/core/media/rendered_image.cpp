#include "core/media/rendered_image.hpp"

namespace atrium::core::media {

std::string_view ImageMime(ImageFormat format) {
  switch (format) {
    case ImageFormat::kSvg:
      return "image/svg+xml";
    case ImageFormat::kPng:
      return "image/png";
  }
  return "application/octet-stream";
}

}  // namespace atrium::core::media
