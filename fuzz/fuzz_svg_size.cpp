// The SVG size reader and resizer (core/media/svg_size.hpp) on any bytes: renderers'
// SVG carries what clients wrote (labels, ids, styles). Nothing may throw or crash; a
// size read is positive and finite; and a document whose root was found, once resized,
// reads back as exactly the size asked for.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/media/svg_size.hpp"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace atrium::core::media;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto read = ReadSvgSize(input);
  if (read) Check(read->width > 0 && read->height > 0 && std::isfinite(read->width) && std::isfinite(read->height));
  const std::string resized = ResizeSvg(input, 123, 45);
  if (resized != input) {
    const auto back = ReadSvgSize(resized);
    Check(back && back->width == 123 && back->height == 45);
  }
  return 0;
}
