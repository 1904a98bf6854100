#pragma once
// The media core: diagrams, formulas and maps rendered by whichever engines are really
// installed (each one optional and reported as such), PNG made from SVG by the
// rasteriser, input and output bounded, at most a few renders at once (they are CPU
// bound), and rendered results kept by content hash. Blocking (call it from a worker
// thread); thread-safe. Dialects format what it returns (unamentis /api/media/*).

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/admission_slots.hpp"
#include "core/media/diagram_renderer.hpp"
#include "core/media/formula_renderer.hpp"
#include "core/media/map_renderer.hpp"
#include "core/media/render_cache.hpp"
#include "core/media/svg_rasterizer.hpp"
#include "core/result.hpp"

namespace atrium::core::media {

struct MediaLimits {
  std::size_t max_diagram_bytes = 50000;
  std::size_t max_formula_bytes = 10000;
  int max_width = 4096;  // of any image asked for
  int max_height = 4096;
  long max_png_pixels = 4096L * 4096L;
  std::chrono::milliseconds diagram_deadline{15000};
  std::chrono::milliseconds formula_deadline{5000};
  std::chrono::milliseconds map_deadline{15000};
  std::size_t max_concurrent = 2;  // renders at once
  std::size_t max_waiting = 16;    // more wait for a slot, then "busy"
  std::size_t cache_bytes = std::size_t{32} << 20;
  MapLimits map;
};

// What is installed and working, found at start.
struct MediaCapabilities {
  struct Diagram {
    DiagramFormat format;
    bool available = false;
    std::string renderer;  // the renderMethod it reports
  };
  std::vector<Diagram> diagrams;  // every format, in DiagramFormat order
  bool formulas = false;          // MathJax
  std::string formula_renderer;
  bool latex = false;  // a full TeX toolchain (latex and dvisvgm) on PATH
  bool maps = false;
  std::string map_renderer;
  std::vector<MapStyle> map_styles;
};

struct MediaStats {
  std::size_t cache_entries = 0;
  std::size_t cache_bytes = 0;
  std::uint64_t cache_hits = 0;
  std::uint64_t cache_misses = 0;
};

class MediaService {
 public:
  // Every pointer may be null (that kind is unavailable) and outlives the service.
  MediaService(std::vector<DiagramRenderer*> diagrams, FormulaRenderer* formulas, MapRenderer* maps,
               SvgRasterizer* rasterizer, bool latex_installed, MediaLimits limits = {});

  // Found the first time it is asked (each renderer proves itself then: a server that
  // never draws starts no browser or JVM).
  const MediaCapabilities& capabilities() const;
  const MediaLimits& limits() const { return limits_; }

  // `request.deadline` is capped by the limits. Errors: the renderers' (see
  // diagram_renderer.hpp), kInvalidArgument for sizes out of range, kResourceExhausted +
  // kRenderBusy when every slot is taken and the queue is full.
  Result<RenderedImage> RenderDiagram(DiagramRequest request, ImageFormat output);
  Result<std::vector<SourceProblem>> ValidateDiagram(DiagramRequest request);
  Result<RenderedImage> RenderFormula(FormulaRequest request, ImageFormat output);
  Result<FormulaCheck> ValidateFormula(FormulaRequest request);
  Result<RenderedImage> RenderMap(const MapRequest& request);

  MediaStats stats() const;

 private:
  DiagramRenderer* Find(DiagramFormat format) const;
  Result<RenderedImage> Finish(RenderedImage svg, ImageFormat output, int width, int height);
  Result<AdmissionSlots::Slot> Admit(std::chrono::milliseconds deadline);
  // The cached image for `key`, else `draw` run in a render slot (waiting up to
  // `deadline`) and kept when it succeeds.
  Result<RenderedImage> Cached(const std::string& key, std::chrono::milliseconds deadline,
                               const std::function<Result<RenderedImage>()>& draw);

  std::vector<DiagramRenderer*> diagrams_;
  FormulaRenderer* formulas_;
  MapRenderer* maps_;
  SvgRasterizer* rasterizer_;
  bool latex_;
  MediaLimits limits_;
  mutable std::once_flag found_;
  mutable MediaCapabilities capabilities_;
  AdmissionSlots slots_;
  RenderCache cache_;
};

}  // namespace atrium::core::media
