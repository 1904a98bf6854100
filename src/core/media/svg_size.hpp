#pragma once
// The size an SVG document declares on its root element, and the same document asked to
// show at another size. Renderers write width and height in pt (Graphviz), ex (MathJax)
// or px, or only a viewBox (Mermaid); clients of the media API ask in pixels.

#include <optional>
#include <string>
#include <string_view>

namespace atrium::core::media {

struct SvgSize {
  double width = 0;  // CSS pixels (1pt = 4/3 px, 1ex = 8 px, 1em = 16 px)
  double height = 0;
};

// The root <svg>'s width and height, else its viewBox's; nullopt when `svg` has no root
// <svg> element or no size at all.
std::optional<SvgSize> ReadSvgSize(std::string_view svg);

// `svg` with its root's width and height set to `width` x `height` px and a viewBox
// kept (made from the old size when missing), so the drawing scales into the box
// keeping its aspect ratio. `svg` unchanged when it has no root <svg>.
std::string ResizeSvg(std::string_view svg, int width, int height);

}  // namespace atrium::core::media
