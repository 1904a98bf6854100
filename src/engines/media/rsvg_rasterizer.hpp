#pragma once
// SVG to PNG with librsvg (in process: librsvg keeps its XML limits and loads no
// external files for a document made from bytes) onto a Cairo image surface.

#include "core/media/svg_rasterizer.hpp"

namespace atrium::engines::media {

class RsvgRasterizer final : public core::media::SvgRasterizer {
 public:
  core::Result<core::media::RenderedImage> ToPng(std::string_view svg, int width, int height, double scale,
                                                 long max_pixels) override;
};

}  // namespace atrium::engines::media
