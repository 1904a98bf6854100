#include "core/media/media_service.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/media/svg_size.hpp"

namespace atrium::core::media {

namespace {

Error TooLarge(const std::string& what) {
  return Error(ErrorCode::kResourceExhausted, what).WithReason(Reason::kRenderTooLarge);
}

Error Unavailable(const std::string& what) {
  return Error(ErrorCode::kUnavailable, what).WithReason(Reason::kRendererUnavailable);
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string Point(const GeoPoint& p) { return Num(p.latitude) + "," + Num(p.longitude) + ";"; }

std::string MapKey(const MapRequest& r) {
  std::string k = r.title + "\x1f" + Point(r.center) + Num(r.zoom) + "\x1f" + r.style + "\x1f" +
                  std::to_string(r.width) + "x" + std::to_string(r.height) + "\x1f" + std::string(ImageMime(r.format)) +
                  "\x1f";
  for (const auto& m : r.markers) k += "m" + Point(m.at) + m.label + "\x1e" + m.color + "\x1f";
  for (const auto& route : r.routes) {
    k += "r";
    for (const auto& p : route.points) k += Point(p);
    k += route.label + "\x1e" + route.color + "\x1e" + Num(route.width) + "\x1f";
  }
  for (const auto& g : r.regions) {
    k += "g";
    for (const auto& p : g.points) k += Point(p);
    k += g.label + "\x1e" + g.fill_color + "\x1e" + Num(g.fill_opacity) + "\x1f";
  }
  return RenderKey({"map", k});
}

}  // namespace

MediaService::MediaService(std::vector<DiagramRenderer*> diagrams, FormulaRenderer* formulas, MapRenderer* maps,
                           SvgRasterizer* rasterizer, bool latex_installed, MediaLimits limits)
    : diagrams_(std::move(diagrams)),
      formulas_(formulas),
      maps_(maps),
      rasterizer_(rasterizer),
      latex_(latex_installed),
      limits_(limits),
      slots_(limits.max_concurrent, limits.max_waiting,
             {"Every renderer is busy; try again shortly", Reason::kRenderBusy,
              "The render waited too long for a free renderer", Reason::kRenderTimeout}),
      cache_(limits.cache_bytes) {}

const MediaCapabilities& MediaService::capabilities() const {
  std::call_once(found_, [this] {
    for (const auto f :
         {DiagramFormat::kMermaid, DiagramFormat::kGraphviz, DiagramFormat::kPlantUml, DiagramFormat::kD2}) {
      MediaCapabilities::Diagram d{f, false, std::string(DiagramFormatName(f))};
      if (auto* r = Find(f)) {
        d.available = true;
        d.renderer = r->name();
      }
      capabilities_.diagrams.push_back(std::move(d));
    }
    capabilities_.formulas = formulas_ != nullptr && formulas_->available();
    if (formulas_ != nullptr) capabilities_.formula_renderer = formulas_->name();
    capabilities_.latex = latex_;
    capabilities_.maps = maps_ != nullptr && maps_->available();
    if (maps_ != nullptr) {
      capabilities_.map_renderer = maps_->name();
      capabilities_.map_styles = maps_->Styles();
    }
  });
  return capabilities_;
}

DiagramRenderer* MediaService::Find(DiagramFormat format) const {
  for (auto* r : diagrams_) {
    if (r != nullptr && r->format() == format && r->available()) return r;
  }
  return nullptr;
}

Result<AdmissionSlots::Slot> MediaService::Admit(std::chrono::milliseconds deadline) {
  return slots_.Acquire(std::chrono::steady_clock::now() + deadline);
}

Result<RenderedImage> MediaService::Cached(const std::string& key, std::chrono::milliseconds deadline,
                                           const std::function<Result<RenderedImage>()>& draw) {
  if (auto hit = cache_.Get(key)) return *hit;
  auto slot = Admit(deadline);
  if (!slot) return slot.error();
  auto image = draw();
  if (image) cache_.Put(key, *image);
  return image;
}

Result<RenderedImage> MediaService::Finish(RenderedImage svg, ImageFormat output, int width, int height) {
  const auto own = ReadSvgSize(svg.bytes);
  // One side asked for: the other follows the drawing's aspect ratio.
  if (own && own->width > 0 && own->height > 0) {
    if (width > 0 && height == 0) height = std::max(1, static_cast<int>(std::lround(width * own->height / own->width)));
    if (height > 0 && width == 0) width = std::max(1, static_cast<int>(std::lround(height * own->width / own->height)));
  }
  if (width > 0 && height > 0) {
    svg.bytes = ResizeSvg(svg.bytes, width, height);
    svg.width = width;
    svg.height = height;
  } else if (own) {
    svg.width = static_cast<int>(std::lround(own->width));
    svg.height = static_cast<int>(std::lround(own->height));
  }
  if (output == ImageFormat::kSvg) {
    svg.format = ImageFormat::kSvg;
    return svg;
  }
  if (rasterizer_ == nullptr) return Unavailable("PNG output is not available");
  auto png = rasterizer_->ToPng(svg.bytes, width, height, 1.0, limits_.max_png_pixels);
  if (!png) return png.error();
  png->render_method = svg.render_method;
  return png;
}

Result<RenderedImage> MediaService::RenderDiagram(DiagramRequest r, ImageFormat output) {
  if (r.code.empty())
    return Error(ErrorCode::kInvalidArgument, "The diagram's code is empty").WithReason(Reason::kInvalidDiagramSource);
  if (r.code.size() > limits_.max_diagram_bytes) {
    return TooLarge("The diagram's code is longer than " + std::to_string(limits_.max_diagram_bytes) + " bytes");
  }
  if (r.width < 0 || r.height < 0 || r.width > limits_.max_width || r.height > limits_.max_height) {
    return TooLarge("The image may be at most " + std::to_string(limits_.max_width) + " x " +
                    std::to_string(limits_.max_height) + " pixels");
  }
  if (output == ImageFormat::kPng && static_cast<long long>(r.width) * r.height > limits_.max_png_pixels) {
    return TooLarge("The image would be too large");
  }
  DiagramRenderer* renderer = Find(r.format);
  if (renderer == nullptr) return Unavailable(std::string(DiagramFormatName(r.format)) + " rendering is not available");
  r.deadline = std::min(r.deadline, limits_.diagram_deadline);
  const std::string key = RenderKey({"diagram", renderer->name(), r.theme, std::to_string(r.width),
                                     std::to_string(r.height), ImageMime(output), r.code});
  return Cached(key, r.deadline, [&]() -> Result<RenderedImage> {
    auto svg = renderer->RenderSvg(r);
    if (!svg) return svg.error();
    return Finish(std::move(*svg), output, r.width, r.height);
  });
}

Result<std::vector<SourceProblem>> MediaService::ValidateDiagram(DiagramRequest r) {
  if (r.code.size() > limits_.max_diagram_bytes) {
    return TooLarge("The diagram's code is longer than " + std::to_string(limits_.max_diagram_bytes) + " bytes");
  }
  if (r.code.empty()) return std::vector<SourceProblem>{{0, 0, "The diagram's code is empty"}};
  DiagramRenderer* renderer = Find(r.format);
  if (renderer == nullptr) return Unavailable(std::string(DiagramFormatName(r.format)) + " rendering is not available");
  r.deadline = std::min(r.deadline, limits_.diagram_deadline);
  auto slot = Admit(r.deadline);
  if (!slot) return slot.error();
  return renderer->Validate(r);
}

Result<RenderedImage> MediaService::RenderFormula(FormulaRequest r, ImageFormat output) {
  if (r.latex.empty())
    return Error(ErrorCode::kInvalidArgument, "The formula is empty").WithReason(Reason::kInvalidFormula);
  if (r.latex.size() > limits_.max_formula_bytes) {
    return TooLarge("The formula is longer than " + std::to_string(limits_.max_formula_bytes) + " bytes");
  }
  if (!(r.font_size >= 4 && r.font_size <= 200)) {
    return Error(ErrorCode::kInvalidArgument, "fontSize must be from 4 to 200").WithReason(Reason::kInvalidFormula);
  }
  if (formulas_ == nullptr || !formulas_->available()) return Unavailable("Formula rendering is not available");
  r.deadline = std::min(r.deadline, limits_.formula_deadline);
  const std::string key = RenderKey({"formula", formulas_->name(), r.display_mode ? "display" : "inline",
                                     std::to_string(r.font_size), r.color, ImageMime(output), r.latex});
  return Cached(key, r.deadline, [&]() -> Result<RenderedImage> {
    auto svg = formulas_->RenderSvg(r);
    if (!svg) return svg.error();
    return Finish(std::move(*svg), output, 0, 0);
  });
}

Result<FormulaCheck> MediaService::ValidateFormula(FormulaRequest r) {
  if (r.latex.size() > limits_.max_formula_bytes) {
    return TooLarge("The formula is longer than " + std::to_string(limits_.max_formula_bytes) + " bytes");
  }
  if (r.latex.empty()) return FormulaCheck{{{0, 0, "The formula is empty"}}, {}};
  if (formulas_ == nullptr || !formulas_->available()) return Unavailable("Formula rendering is not available");
  r.deadline = std::min(r.deadline, limits_.formula_deadline);
  auto slot = Admit(r.deadline);
  if (!slot) return slot.error();
  return formulas_->Validate(r);
}

Result<RenderedImage> MediaService::RenderMap(const MapRequest& r) {
  const MapLimits& l = limits_.map;
  if (r.markers.size() > l.max_markers || r.routes.size() > l.max_routes || r.regions.size() > l.max_regions) {
    return TooLarge("A map may have at most " + std::to_string(l.max_markers) + " markers, " +
                    std::to_string(l.max_routes) + " routes and " + std::to_string(l.max_regions) + " regions");
  }
  std::size_t points = 0;
  for (const auto& route : r.routes) points += route.points.size();
  for (const auto& g : r.regions) points += g.points.size();
  if (points > l.max_points) return TooLarge("A map may have at most " + std::to_string(l.max_points) + " points");
  if (maps_ == nullptr || !maps_->available()) return Unavailable("Map rendering is not available");
  return Cached(MapKey(r), limits_.map_deadline, [&] { return maps_->Render(r); });
}

MediaStats MediaService::stats() const { return {cache_.entries(), cache_.bytes(), cache_.hits(), cache_.misses()}; }

}  // namespace atrium::core::media
