#include "core/media/diagram_renderer.hpp"

namespace atrium::core::media {

std::string_view DiagramFormatName(DiagramFormat format) {
  switch (format) {
    case DiagramFormat::kMermaid:
      return "mermaid";
    case DiagramFormat::kGraphviz:
      return "graphviz";
    case DiagramFormat::kPlantUml:
      return "plantuml";
    case DiagramFormat::kD2:
      return "d2";
  }
  return "";
}

std::optional<DiagramFormat> ParseDiagramFormat(std::string_view name) {
  for (const auto f :
       {DiagramFormat::kMermaid, DiagramFormat::kGraphviz, DiagramFormat::kPlantUml, DiagramFormat::kD2}) {
    if (DiagramFormatName(f) == name) return f;
  }
  if (name == "dot") return DiagramFormat::kGraphviz;
  return std::nullopt;
}

}  // namespace atrium::core::media
