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

core::Result<json::object> Ask(NodeMediaWorkerPool& pool, const json::object& request,
                               std::chrono::milliseconds deadline) {
  auto line = pool.Call(json::serialize(request), NodeMediaWorkerPool::Clock::now() + deadline);
  if (!line) return line.error();
  return answer::Parse(*line);
}

}  // namespace

MermaidRenderer::MermaidRenderer(std::shared_ptr<NodeMediaWorkerPool> pool) : pool_(std::move(pool)) {}

void MermaidRenderer::Probe() const {
  if (pool_ == nullptr) {
    why_ = "no media worker pool";
    return;
  }
  auto caps = pool_->Probe();
  if (!caps) {
    why_ = caps.error().internal_message();
  } else if (!caps->mermaid) {
    why_ = "the media worker could not start Chromium: " + pool_->log();
  } else {
    available_ = true;
  }
}

bool MermaidRenderer::available() const {
  std::call_once(probed_, [this] { Probe(); });
  return available_;
}

std::string MermaidRenderer::unavailable_reason() const {
  std::call_once(probed_, [this] { Probe(); });
  return why_;
}

core::Result<core::media::RenderedImage> MermaidRenderer::RenderSvg(const DiagramRequest& request) {
  if (auto bad = CheckRequest(request)) return *bad;
  if (!available()) return Unavailable(why_);
  json::object ask{{"op", "mermaid.render"},
                   {"code", request.code},
                   {"theme", request.theme.empty() ? "default" : request.theme},
                   {"width", request.width},
                   {"height", request.height}};
  auto got = Ask(*pool_, ask, request.deadline);
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
  if (!available()) return Unavailable(why_);
  json::object ask{{"op", "mermaid.validate"}, {"code", request.code}};
  auto got = Ask(*pool_, ask, request.deadline);
  if (!got) return got.error();
  std::vector<SourceProblem> problems;
  if (auto failed = answer::FailureOf(*got)) {
    if (failed->unavailable) return Unavailable(failed->message);
    problems.push_back(SourceProblem{.line = failed->line, .column = failed->column, .message = failed->message});
  }
  return problems;
}

}  // namespace atrium::engines::media
