#include "engines/media/mathjax_renderer.hpp"

#include <cctype>
#include <cmath>
#include <utility>

#include "engines/media/worker_answer.hpp"

namespace atrium::engines::media {

namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Reason;
using core::media::FormulaRequest;
using core::media::SourceProblem;

Error Unavailable(const std::string& why) {
  return Error(ErrorCode::kUnavailable, "Formula rendering is unavailable", why)
      .WithReason(Reason::kRendererUnavailable);
}

Error Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message)).WithReason(Reason::kInvalidFormula);
}

bool IsHexColour(const std::string& c) {
  if (c.size() != 4 && c.size() != 7 && c.size() != 9) return false;
  if (c[0] != '#') return false;
  for (std::size_t i = 1; i < c.size(); ++i) {
    if (std::isxdigit(static_cast<unsigned char>(c[i])) == 0) return false;
  }
  return true;
}

std::optional<Error> CheckRequest(const FormulaRequest& request) {
  if (request.latex.size() > MathJaxRenderer::kMaxLatexBytes) {
    return Error(ErrorCode::kResourceExhausted, "The formula is longer than 10,000 bytes")
        .WithReason(Reason::kRenderTooLarge);
  }
  return std::nullopt;
}

std::vector<SourceProblem> Problems(const json::object& o, std::string_view key) {
  std::vector<SourceProblem> out;
  const auto* list = o.if_contains(key);
  if (list == nullptr || !list->is_array()) return out;
  for (const auto& item : list->as_array()) {
    if (!item.is_object()) continue;
    const auto& p = item.as_object();
    out.push_back(SourceProblem{
        .line = answer::Int(p, "line"), .column = answer::Int(p, "column"), .message = answer::String(p, "message")});
  }
  return out;
}

}  // namespace

MathJaxRenderer::MathJaxRenderer(std::shared_ptr<NodeMediaWorkerPool> pool)
    : feature_(std::move(pool), WorkerFeature::Kind::kTex) {}

core::Result<core::media::RenderedImage> MathJaxRenderer::RenderSvg(const FormulaRequest& request) {
  if (auto bad = CheckRequest(request)) return *bad;
  if (!std::isfinite(request.font_size) || request.font_size <= 0 || request.font_size > 512) {
    return Invalid("The font size must be between 0 and 512 pixels");
  }
  if (!IsHexColour(request.color)) return Invalid("The colour must be #rgb or #rrggbb");
  if (!available()) return Unavailable(feature_.unavailable_reason());
  json::object ask{{"op", "tex.render"},
                   {"latex", request.latex},
                   {"display", request.display_mode},
                   {"fontSize", request.font_size},
                   {"color", request.color}};
  auto got = answer::Ask(feature_.pool(), ask, request.deadline);
  if (!got) return got.error();
  if (auto failed = answer::FailureOf(*got)) {
    if (failed->unavailable) return Unavailable(failed->message);
    return Invalid(failed->message);
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

core::Result<core::media::FormulaCheck> MathJaxRenderer::Validate(const FormulaRequest& request) {
  if (auto bad = CheckRequest(request)) return *bad;
  if (!available()) return Unavailable(feature_.unavailable_reason());
  json::object ask{{"op", "tex.validate"}, {"latex", request.latex}};
  auto got = answer::Ask(feature_.pool(), ask, request.deadline);
  if (!got) return got.error();
  if (auto failed = answer::FailureOf(*got)) {
    if (failed->unavailable) return Unavailable(failed->message);
    return Invalid(failed->message);
  }
  core::media::FormulaCheck check;
  check.errors = Problems(*got, "errors");
  check.warnings = Problems(*got, "warnings");
  return check;
}

}  // namespace atrium::engines::media
