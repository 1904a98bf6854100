#pragma once
// One diagram language's renderer (Graphviz, Mermaid, PlantUML, D2). Engines implement
// it; MediaService picks the one for the request's format. Blocking, thread-safe (an
// implementation bounds its own concurrency).
//
// Errors: kInvalidArgument + Reason::kInvalidDiagramSource when the renderer refuses
// the source (the message is the renderer's own, with its line); kUnavailable +
// Reason::kRenderTimeout past the deadline (ErrorCode has no deadline code; the speech
// engines answer kSpeechTimeout the same way); kResourceExhausted + Reason::kRenderTooLarge
// when the output would pass the pixel or byte limit; kUnavailable +
// Reason::kRendererUnavailable when the renderer is not installed or broke.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/media/rendered_image.hpp"
#include "core/result.hpp"

namespace atrium::core::media {

enum class DiagramFormat { kMermaid, kGraphviz, kPlantUml, kD2 };

// "mermaid", "graphviz", "plantuml", "d2".
std::string_view DiagramFormatName(DiagramFormat format);
std::optional<DiagramFormat> ParseDiagramFormat(std::string_view name);

struct DiagramRequest {
  DiagramFormat format = DiagramFormat::kMermaid;
  std::string code;
  std::string theme = "default";  // mermaid: default, dark, forest, neutral; others map it
  // Wanted size in pixels; 0 = the diagram's own. SVG keeps its aspect ratio inside it.
  int width = 0;
  int height = 0;
  std::chrono::milliseconds deadline{10000};
};

class DiagramRenderer {
 public:
  virtual ~DiagramRenderer() = default;
  virtual DiagramFormat format() const = 0;
  // Installed and working (checked once at start; a later failure says kUnavailable).
  virtual bool available() const = 0;
  virtual std::string name() const = 0;  // the renderMethod it reports
  // Always SVG; MediaService rasterises PNG.
  virtual Result<RenderedImage> RenderSvg(const DiagramRequest& request) = 0;
  // The renderer's own complaints; empty when it accepts the source.
  virtual Result<std::vector<SourceProblem>> Validate(const DiagramRequest& request) = 0;
};

}  // namespace atrium::core::media
