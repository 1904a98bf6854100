#pragma once
// What a UMCF media entry is, from its "type". The four kinds are the spec's asset types
// (diagram|formula|map|image); the aliases are the names UMCF authoring tools also write.

#include <array>
#include <optional>
#include <string_view>

namespace atrium::core::curricula {

enum class UmcfMediaKind { kImage, kDiagram, kFormula, kMap };

// Every accepted "type".
inline constexpr std::array<std::string_view, 7> kUmcfMediaTypes = {"image", "diagram",  "formula",   "map",
                                                                    "chart", "equation", "slideImage"};

// The diagram languages a media entry's "format" names when it carries "code".
inline constexpr std::array<std::string_view, 4> kUmcfDiagramFormats = {"mermaid", "graphviz", "plantuml", "d2"};

// image, chart, slideImage -> kImage; diagram; formula, equation -> kFormula; map.
std::optional<UmcfMediaKind> UmcfMediaKindOf(std::string_view type);

}  // namespace atrium::core::curricula
