#pragma once
// Mermaid diagrams to SVG in the media worker's headless Chromium (mermaid 11's own
// renderer, securityLevel 'strict', labels as SVG text rather than HTML). Availability is
// probed the first time it is needed (a server that never draws starts no worker) (a worker starts and says whether
// Chromium came up).

#include <memory>
#include <string>

#include "core/media/diagram_renderer.hpp"
#include "engines/media/worker_feature.hpp"

namespace atrium::engines::media {

class MermaidRenderer final : public core::media::DiagramRenderer {
 public:
  static constexpr std::size_t kMaxCodeBytes = 50000;

  explicit MermaidRenderer(std::shared_ptr<NodeMediaWorkerPool> pool);

  core::media::DiagramFormat format() const override { return core::media::DiagramFormat::kMermaid; }
  bool available() const override { return feature_.available(); }
  std::string name() const override { return "mermaid"; }
  core::Result<core::media::RenderedImage> RenderSvg(const core::media::DiagramRequest& request) override;
  core::Result<std::vector<core::media::SourceProblem>> Validate(const core::media::DiagramRequest& request) override;

  std::string unavailable_reason() const { return feature_.unavailable_reason(); }

 private:
  WorkerFeature feature_;
};

}  // namespace atrium::engines::media
