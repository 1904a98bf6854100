#pragma once
// What every renderer of the media core returns: the bytes of one image, its type and
// size in pixels, and the renderer that drew it (unamentis's `renderMethod`).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace atrium::core::media {

enum class ImageFormat { kSvg, kPng };

// "image/svg+xml" or "image/png".
std::string_view ImageMime(ImageFormat format);

struct RenderedImage {
  ImageFormat format = ImageFormat::kSvg;
  std::string bytes;
  int width = 0;  // pixels (an SVG's width attribute, rounded)
  int height = 0;
  std::string render_method;  // "graphviz", "mermaid", "mathjax", "cairo", ...
};

// A renderer's complaint about its input, with the line it names (1-based; 0 when the
// renderer said none).
struct SourceProblem {
  int line = 0;
  int column = 0;
  std::string message;
};

}  // namespace atrium::core::media
