#pragma once
// TeX math to SVG with MathJax 3 in the media worker (TeX input without the packages
// that would accept unknown commands or put links in the output; SVG output with its
// glyph paths inside, sized in pixels at the request's font size, coloured through
// currentColor). Availability is probed the first time it is needed (a server that never draws starts no worker).

#include <memory>
#include <string>

#include "core/media/formula_renderer.hpp"
#include "engines/media/worker_feature.hpp"

namespace atrium::engines::media {

class MathJaxRenderer final : public core::media::FormulaRenderer {
 public:
  static constexpr std::size_t kMaxLatexBytes = 10000;

  explicit MathJaxRenderer(std::shared_ptr<NodeMediaWorkerPool> pool);

  bool available() const override { return feature_.available(); }
  std::string name() const override { return "mathjax"; }
  core::Result<core::media::RenderedImage> RenderSvg(const core::media::FormulaRequest& request) override;
  core::Result<core::media::FormulaCheck> Validate(const core::media::FormulaRequest& request) override;

  std::string unavailable_reason() const { return feature_.unavailable_reason(); }

 private:
  WorkerFeature feature_;
};

}  // namespace atrium::engines::media
