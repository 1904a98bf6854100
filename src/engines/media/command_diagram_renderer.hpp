#pragma once
// A diagram renderer that is an external program reading the source on stdin and
// writing SVG on stdout, run in the sandbox (engines/process/sandboxed_run.hpp) for
// every render: Graphviz's `dot`, PlantUML, D2. Probed with a small diagram the first
// time anyone asks (so a server that never draws never starts a JVM), and from then on
// `available()` says whether it really works. Concurrency is bounded by the caller
// (MediaService's slots).

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/media/diagram_renderer.hpp"
#include "engines/process/sandboxed_run.hpp"

namespace atrium::engines::media {

struct DiagramCommand {
  core::media::DiagramFormat format = core::media::DiagramFormat::kGraphviz;
  std::string name;               // the renderMethod
  std::vector<std::string> argv;  // program first
  // Extra arguments for a theme ("default", "dark", "forest", "neutral").
  std::function<std::vector<std::string>(const std::string& theme)> theme_args;
  // Arguments that only check the source (empty: validating renders).
  std::vector<std::string> validate_argv;
  std::string probe_source;  // rendered at construction
  process::SandboxLimits limits;
  std::vector<std::string> env;
};

// `dot -Tsvg`, themes as graph, node and edge defaults.
DiagramCommand GraphvizCommand();
// Debian's `plantuml` wrapper, `-tsvg -pipe`; `-syntax` validates.
DiagramCommand PlantUmlCommand();
// `d2 - -` (a binary found on PATH; none is packaged in Debian 12).
DiagramCommand D2Command();

class CommandDiagramRenderer final : public core::media::DiagramRenderer {
 public:
  explicit CommandDiagramRenderer(DiagramCommand command);

  core::media::DiagramFormat format() const override { return command_.format; }
  bool available() const override;
  std::string name() const override { return command_.name; }
  // Why it is unavailable (for the log), "" when it is available.
  std::string unavailable_reason() const;

  core::Result<core::media::RenderedImage> RenderSvg(const core::media::DiagramRequest& request) override;
  core::Result<std::vector<core::media::SourceProblem>> Validate(const core::media::DiagramRequest& request) override;

 private:
  core::Result<process::RunOutcome> Run(const std::vector<std::string>& argv,
                                        const core::media::DiagramRequest& r) const;
  core::Result<core::media::RenderedImage> Draw(const core::media::DiagramRequest& r) const;
  void Probe() const;

  DiagramCommand command_;
  mutable std::once_flag probed_;
  mutable bool available_ = false;
  mutable std::string why_;
};

// The problems in a renderer's messages: each line that names an error (or a warning,
// when `warnings`), with the line number it mentions ("line 3", "(line 3)", "at 3:5",
// PlantUML's "ERROR\n3\nmessage" form).
std::vector<core::media::SourceProblem> ParseProblems(std::string_view messages, bool warnings = false);

}  // namespace atrium::engines::media
