#pragma once
// SVG to PNG (an engine on librsvg). Blocking, thread-safe.

#include <string_view>

#include "core/media/rendered_image.hpp"
#include "core/result.hpp"

namespace atrium::core::media {

class SvgRasterizer {
 public:
  virtual ~SvgRasterizer() = default;
  // `svg` drawn into a `width` x `height` PNG (0: the SVG's own size, scaled by
  // `scale`), keeping its aspect ratio, centred on a transparent background.
  // kInvalidArgument for an SVG it cannot read; kResourceExhausted past `max_pixels`.
  virtual Result<RenderedImage> ToPng(std::string_view svg, int width, int height, double scale, long max_pixels) = 0;
};

}  // namespace atrium::core::media
