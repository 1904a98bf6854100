#include "core/curricula/umcf_media_kind.hpp"

namespace atrium::core::curricula {

std::optional<UmcfMediaKind> UmcfMediaKindOf(std::string_view type) {
  if (type == "image" || type == "chart" || type == "slideImage") return UmcfMediaKind::kImage;
  if (type == "diagram") return UmcfMediaKind::kDiagram;
  if (type == "formula" || type == "equation") return UmcfMediaKind::kFormula;
  if (type == "map") return UmcfMediaKind::kMap;
  return std::nullopt;
}

}  // namespace atrium::core::curricula
