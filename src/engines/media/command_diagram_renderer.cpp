#include "engines/media/command_diagram_renderer.hpp"

#include <algorithm>
#include <cmath>
#include <csignal>

#include "core/media/svg_size.hpp"

namespace atrium::engines::media {

namespace {

using core::Error;
using core::ErrorCode;
using core::Reason;
using core::media::SourceProblem;

std::vector<std::string> GraphvizTheme(const std::string& theme) {
  // Graph, node and edge defaults: the source's own attributes still win.
  if (theme == "dark") {
    return {"-Gbgcolor=#1e1e1e",   "-Gfontcolor=#e0e0e0", "-Ncolor=#e0e0e0",
            "-Nfontcolor=#e0e0e0", "-Ecolor=#bbbbbb",     "-Efontcolor=#e0e0e0"};
  }
  if (theme == "forest") {
    return {"-Nstyle=filled", "-Nfillcolor=#cde498", "-Ncolor=#13540c", "-Ecolor=#13540c", "-Gfontcolor=#13540c"};
  }
  if (theme == "neutral") {
    return {"-Nstyle=filled", "-Nfillcolor=#eeeeee", "-Ncolor=#999999", "-Ecolor=#666666", "-Nfontcolor=#333333"};
  }
  return {"-Nfontname=DejaVu Sans", "-Efontname=DejaVu Sans", "-Gfontname=DejaVu Sans"};
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return std::string(s);
}

int NumberAfter(std::string_view line, std::string_view word) {
  const auto at = line.find(word);
  if (at == std::string_view::npos) return 0;
  std::size_t i = at + word.size();
  while (i < line.size() && line[i] == ' ') ++i;
  int n = 0;
  bool any = false;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9' && n < 10000000) {
    n = n * 10 + (line[i] - '0');
    ++i;
    any = true;
  }
  return any ? n : 0;
}

}  // namespace

std::vector<SourceProblem> ParseProblems(std::string_view messages, bool warnings) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < messages.size() && lines.size() < 1000) {
    const std::size_t end = std::min(messages.find('\n', start), messages.size());
    lines.push_back(Trimmed(messages.substr(start, end - start)));
    start = end + 1;
  }
  std::vector<SourceProblem> out;
  for (std::size_t i = 0; i < lines.size() && out.size() < 50; ++i) {
    const std::string& l = lines[i];
    if (l.empty()) continue;
    // PlantUML -syntax: "ERROR", the line (counted from 0), the message.
    if (l == "ERROR" && i + 2 < lines.size()) {
      SourceProblem p;
      p.line = NumberAfter(lines[i + 1], "") + 1;
      p.message = lines[i + 2];
      out.push_back(std::move(p));
      i += 2;
      continue;
    }
    const bool error = l.rfind("Error", 0) == 0 || l.rfind("error", 0) == 0 || l.find("rror:") != std::string::npos;
    const bool warning = l.rfind("Warning", 0) == 0 || l.rfind("warning", 0) == 0;
    if (!(warnings ? warning : error)) continue;
    SourceProblem p;
    p.line = NumberAfter(l, "line");
    std::string message = l;
    for (const std::string_view prefix : {"Error: <stdin>: ", "Warning: <stdin>: ", "Error: ", "Warning: ", "err: "}) {
      if (message.rfind(prefix, 0) == 0) {
        message.erase(0, prefix.size());
        break;
      }
    }
    p.message = message.substr(0, 500);
    out.push_back(std::move(p));
  }
  return out;
}

DiagramCommand GraphvizCommand() {
  DiagramCommand c;
  c.format = core::media::DiagramFormat::kGraphviz;
  c.name = "graphviz";
  c.argv = {"dot", "-Tsvg"};
  c.theme_args = GraphvizTheme;
  c.probe_source = "digraph { a -> b }";
  c.limits.address_space = std::size_t{1} << 30;
  return c;
}

DiagramCommand PlantUmlCommand() {
  DiagramCommand c;
  c.format = core::media::DiagramFormat::kPlantUml;
  c.name = "plantuml";
  c.argv = {"plantuml", "-tsvg", "-pipe", "-charset", "UTF-8"};
  c.validate_argv = {"plantuml", "-syntax", "-charset", "UTF-8"};
  c.theme_args = [](const std::string& theme) -> std::vector<std::string> {
    if (theme == "dark") return {"-darkmode"};
    return {};
  };
  c.probe_source = "@startuml\nA -> B\n@enduml\n";
  // The JVM reserves address space far beyond what it uses: its heap is bounded instead.
  c.limits.address_space = 0;
  c.limits.cpu_seconds = 30;
  c.env = {"JAVA_TOOL_OPTIONS=-Xmx384m -Xss4m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true"};
  return c;
}

DiagramCommand D2Command() {
  DiagramCommand c;
  c.format = core::media::DiagramFormat::kD2;
  c.name = "d2";
  c.argv = {"d2", "--theme=0", "-", "-"};
  c.probe_source = "a -> b\n";
  c.limits.address_space = 0;  // a Go binary reserves address space too
  return c;
}

CommandDiagramRenderer::CommandDiagramRenderer(DiagramCommand command) : command_(std::move(command)) {}

void CommandDiagramRenderer::Probe() const {
  if (command_.argv.empty() || process::FindProgram(command_.argv[0]).empty()) {
    why_ = (command_.argv.empty() ? std::string("no program") : command_.argv[0]) + " is not installed";
    return;
  }
  core::media::DiagramRequest probe;
  probe.format = command_.format;
  probe.code = command_.probe_source;
  probe.deadline = std::chrono::milliseconds(30000);  // a JVM's first start is slow
  auto rendered = Draw(probe);
  available_ = rendered.ok();
  if (!rendered) why_ = rendered.error().internal_message();
}

bool CommandDiagramRenderer::available() const {
  std::call_once(probed_, [this] { Probe(); });
  return available_;
}

std::string CommandDiagramRenderer::unavailable_reason() const {
  std::call_once(probed_, [this] { Probe(); });
  return why_;
}

core::Result<process::RunOutcome> CommandDiagramRenderer::Run(const std::vector<std::string>& argv,
                                                              const core::media::DiagramRequest& r) const {
  process::SandboxLimits limits = command_.limits;
  limits.deadline = r.deadline;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(r.deadline).count();
  limits.cpu_seconds = static_cast<int>(std::clamp<long long>(seconds + 1, 1, command_.limits.cpu_seconds));
  return process::RunSandboxed(argv, r.code, limits, command_.env);
}

core::Result<core::media::RenderedImage> CommandDiagramRenderer::RenderSvg(const core::media::DiagramRequest& r) {
  if (!available()) {
    return Error(ErrorCode::kUnavailable, command_.name + " is not installed").WithReason(Reason::kRendererUnavailable);
  }
  return Draw(r);
}

core::Result<core::media::RenderedImage> CommandDiagramRenderer::Draw(const core::media::DiagramRequest& r) const {
  std::vector<std::string> argv = command_.argv;
  if (command_.theme_args) {
    auto extra = command_.theme_args(r.theme);
    argv.insert(argv.begin() + 1, extra.begin(), extra.end());
  }
  auto run = Run(argv, r);
  if (!run) return Error(run.error()).WithReason(Reason::kRendererUnavailable);
  if (run->timed_out) {
    return Error(ErrorCode::kResourceExhausted, "The diagram took too long to render")
        .WithReason(Reason::kRenderTimeout);
  }
  if (run->output_too_large) {
    return Error(ErrorCode::kResourceExhausted, "The rendered diagram is too large")
        .WithReason(Reason::kRenderTooLarge);
  }
  if (run->signal == SIGXCPU || run->signal == SIGKILL) {
    return Error(ErrorCode::kResourceExhausted, "The diagram took too long to render")
        .WithReason(Reason::kRenderTimeout);
  }
  const bool has_svg = run->out.find("<svg") != std::string::npos;
  if (!run->ok() || !has_svg) {
    auto problems = ParseProblems(run->err + "\n" + run->out);
    if (problems.empty() && !command_.validate_argv.empty()) {
      if (auto check = Run(command_.validate_argv, r); check) problems = ParseProblems(check->out + "\n" + check->err);
    }
    if (problems.empty() && run->signal != 0) {
      return Error(ErrorCode::kResourceExhausted, "The diagram could not be rendered within the limits")
          .WithReason(Reason::kRenderTooLarge);
    }
    std::string message = problems.empty() ? std::string("The diagram could not be rendered") : problems[0].message;
    if (!problems.empty() && problems[0].line > 0)
      message = "line " + std::to_string(problems[0].line) + ": " + message;
    return Error(ErrorCode::kInvalidArgument, message, run->err.substr(0, 2000) + "\n" + run->out.substr(0, 2000))
        .WithReason(Reason::kInvalidDiagramSource);
  }
  core::media::RenderedImage image;
  image.format = core::media::ImageFormat::kSvg;
  image.bytes = std::move(run->out);
  if (const auto size = core::media::ReadSvgSize(image.bytes)) {
    image.width = static_cast<int>(std::lround(size->width));
    image.height = static_cast<int>(std::lround(size->height));
  }
  image.render_method = command_.name;
  return image;
}

core::Result<std::vector<SourceProblem>> CommandDiagramRenderer::Validate(const core::media::DiagramRequest& r) {
  if (!available()) {
    return Error(ErrorCode::kUnavailable, command_.name + " is not installed").WithReason(Reason::kRendererUnavailable);
  }
  if (!command_.validate_argv.empty()) {
    auto run = Run(command_.validate_argv, r);
    if (!run) return Error(run.error()).WithReason(Reason::kRendererUnavailable);
    if (run->timed_out) {
      return Error(ErrorCode::kResourceExhausted, "The diagram took too long to check")
          .WithReason(Reason::kRenderTimeout);
    }
    if (run->exit_code == 0) return std::vector<SourceProblem>{};
    auto problems = ParseProblems(run->out + "\n" + run->err);
    if (problems.empty()) problems.push_back({0, 0, "The diagram has errors"});
    return problems;
  }
  auto rendered = RenderSvg(r);
  if (rendered) return std::vector<SourceProblem>{};
  if (rendered.error().reason() != Reason::kInvalidDiagramSource) return rendered.error();
  auto problems = ParseProblems(rendered.error().internal_message());
  if (problems.empty()) problems.push_back({0, 0, rendered.error().safe_message()});
  return problems;
}

}  // namespace atrium::engines::media
