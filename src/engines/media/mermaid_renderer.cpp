#include "engines/media/mermaid_renderer.hpp"

#include <utility>

#include "engines/media/worker_answer.hpp"

namespace atrium::engines::media {

namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Reason;
using core::media::DiagramRequest;
using core::media::SourceProblem;

Error Unavailable(const std::string& why) {
  return Error(ErrorCode::kUnavailable, "Mermaid rendering is unavailable", why)
      .WithReason(Reason::kRendererUnavailable);
}

// The checks before the worker: size, and a box that is not negative.
std::optional<Error> CheckRequest(const DiagramRequest& request) {
  if (request.code.size() > MermaidRenderer::kMaxCodeBytes) {
    return Error(ErrorCode::kResourceExhausted, "The diagram source is larger than 50,000 bytes")
        .WithReason(Reason::kRenderTooLarge);
  }
  if (request.width < 0 || request.height < 0) {
    return Error(ErrorCode::kInvalidArgument, "The diagram's width and height cannot be negative")
        .WithReason(Reason::kInvalidDiagramSource);
  }
  return std::nullopt;
}

}  // namespace

MermaidRenderer::MermaidRenderer(std::shared_ptr<NodeMediaWorkerPool> pool)
    : feature_(std::move(pool), WorkerFeature::Kind::kMermaid) {}

core::Result<core::media::RenderedImage> MermaidRenderer::RenderSvg(const DiagramRequest& request) {
  if (auto bad = CheckRequest(request)) return *bad;
  if (!available()) return Unavailable(feature_.unavailable_reason());
  json::object ask{{"op", "mermaid.render"},
                   {"code", request.code},
                   {"theme", request.theme.empty() ? "default" : request.theme},
                   {"width", request.width},
                   {"height", request.height}};
  auto got = answer::Ask(feature_.pool(), ask, request.deadline);
  if (!got) return got.error();
  if (auto failed = answer::FailureOf(*got)) {
    if (failed->unavailable) return Unavailable(failed->message);
    return Error(ErrorCode::kInvalidArgument, failed->message).WithReason(Reason::kInvalidDiagramSource);
  }
  core::media::RenderedImage image;
  image.format = core::media::ImageFormat::kSvg;
  image.bytes = answer::String(*got, "svg");
  image.width = answer::Int(*got, "width");
  image.height = answer::Int(*got, "height");
  image.render_method = name();
  if (image.bytes.empty()) return Unavailable("the media worker answered without an SVG");
  return image;
}

core::Result<std::vector<SourceProblem>> MermaidRenderer::Validate(const DiagramRequest& request) {
  if (auto bad = CheckRequest(request)) return *bad;
  if (!available()) return Unavailable(feature_.unavailable_reason());
  json::object ask{{"op", "mermaid.validate"}, {"code", request.code}};
  auto got = answer::Ask(feature_.pool(), ask, request.deadline);
  if (!got) return got.error();
  std::vector<SourceProblem> problems;
  if (auto failed = answer::FailureOf(*got)) {
    if (failed->unavailable) return Unavailable(failed->message);
    problems.push_back(SourceProblem{.line = failed->line, .column = failed->column, .message = failed->message});
  }
  return problems;
}

}  // namespace atrium::engines::media
