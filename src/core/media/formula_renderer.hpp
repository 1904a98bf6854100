#pragma once
// LaTeX math to SVG (MathJax in a long-lived worker). Blocking, thread-safe. Errors as
// for DiagramRenderer, with Reason::kInvalidFormula for a formula the renderer refuses.

#include <chrono>
#include <string>
#include <vector>

#include "core/media/rendered_image.hpp"
#include "core/result.hpp"

namespace atrium::core::media {

struct FormulaRequest {
  std::string latex;
  bool display_mode = true;  // block (true) or inline
  double font_size = 16;     // pixels per em
  std::string color = "#000000";
  std::chrono::milliseconds deadline{5000};
};

struct FormulaCheck {
  std::vector<SourceProblem> errors;    // unknown commands, unbalanced braces, ...
  std::vector<SourceProblem> warnings;  // accepted but questionable
};

class FormulaRenderer {
 public:
  virtual ~FormulaRenderer() = default;
  virtual bool available() const = 0;
  virtual std::string name() const = 0;
  virtual Result<RenderedImage> RenderSvg(const FormulaRequest& request) = 0;
  virtual Result<FormulaCheck> Validate(const FormulaRequest& request) = 0;
};

}  // namespace atrium::core::media
