// The sandbox every external renderer runs in: input in, output out with a cap, a
// deadline that kills the whole process group, no network (a new namespace: only a
// down loopback), its own temporary directory as HOME and TMPDIR (removed after), CPU
// and file-size limits, and a clear refusal for a program that is not there. Graphviz
// through it: SVG, theme defaults, the source's line in its errors, a graph that spins
// stopped at the deadline.

#include "engines/process/sandboxed_run.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

#include "engines/media/command_diagram_renderer.hpp"

namespace atrium::engines::process {
namespace {

using namespace std::chrono_literals;

TEST(SandboxedRunTest, InputOutputAndExitCode) {
  auto r = RunSandboxed({"sh", "-c", "tr a-z A-Z; echo oops >&2; exit 3"}, "hello", {});
  ASSERT_TRUE(r.ok()) << r.error().internal_message();
  EXPECT_EQ(r->out, "HELLO");
  EXPECT_EQ(r->err, "oops\n");
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->ok());
  auto big = RunSandboxed({"head", "-c", "3000000", "/dev/zero"}, "", {});
  ASSERT_TRUE(big.ok());
  EXPECT_TRUE(big->ok());
  EXPECT_EQ(big->out.size(), 3000000u);
  // A large input is written while the output is read (no deadlock on full pipes).
  const std::string input(5000000, 'x');
  auto echo = RunSandboxed({"cat"}, input, {});
  ASSERT_TRUE(echo.ok());
  EXPECT_EQ(echo->out.size(), input.size());
}

TEST(SandboxedRunTest, TheDeadlineKillsTheWholeGroup) {
  SandboxLimits limits;
  limits.deadline = 300ms;
  auto r = RunSandboxed({"sh", "-c", "sleep 30 & sleep 30; echo never"}, "", limits);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->out, "");
}

TEST(SandboxedRunTest, OutputPastTheCapStops) {
  SandboxLimits limits;
  limits.max_output = 1000;
  auto r = RunSandboxed({"cat", "/dev/zero"}, "", limits);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->output_too_large);
  EXPECT_EQ(r->out.size(), 1000u);
}

TEST(SandboxedRunTest, NoNetworkAndAPrivateDirectory) {
  // Only a loopback, and it is down: no route anywhere.
  auto net = RunSandboxed({"sh", "-c", "cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '"}, "", {});
  ASSERT_TRUE(net.ok()) << net.error().internal_message();
  EXPECT_EQ(net->out, "lo\n");
  auto dir = RunSandboxed({"sh", "-c", "pwd; echo $HOME; echo $TMPDIR; touch made"}, "", {});
  ASSERT_TRUE(dir.ok());
  const std::string pwd = dir->out.substr(0, dir->out.find('\n'));
  EXPECT_EQ(dir->out, pwd + "\n" + pwd + "\n" + pwd + "\n");
  EXPECT_NE(pwd.find("atrium-render-"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(pwd));  // removed with what it made
}

TEST(SandboxedRunTest, LimitsAndMissingPrograms) {
  SandboxLimits limits;
  limits.cpu_seconds = 1;
  limits.deadline = 20s;
  auto spin = RunSandboxed({"sh", "-c", "while :; do :; done"}, "", limits);
  ASSERT_TRUE(spin.ok());
  EXPECT_EQ(spin->signal, SIGXCPU);  // stopped by its CPU limit, long before the deadline
  limits.file_size = 1000;
  auto file = RunSandboxed({"sh", "-c", "head -c 5000 /dev/zero > f"}, "", limits);
  ASSERT_TRUE(file.ok());
  EXPECT_FALSE(file->ok());
  auto missing = RunSandboxed({"no-such-renderer"}, "", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), core::ErrorCode::kUnavailable);
  EXPECT_EQ(FindProgram("no-such-renderer"), "");
  EXPECT_EQ(FindProgram("sh"), "/usr/bin/sh");
}

TEST(GraphvizRendererTest, RendersValidatesAndStopsASpinningGraph) {
  media::CommandDiagramRenderer dot(media::GraphvizCommand());
  if (!dot.available()) GTEST_SKIP() << dot.unavailable_reason();
  core::media::DiagramRequest r{.format = core::media::DiagramFormat::kGraphviz, .code = "digraph { a -> b }"};
  auto svg = dot.RenderSvg(r);
  ASSERT_TRUE(svg.ok()) << svg.error().internal_message();
  EXPECT_NE(svg->bytes.find("<svg"), std::string::npos);
  EXPECT_GT(svg->width, 0);
  EXPECT_EQ(svg->render_method, "graphviz");
  r.theme = "dark";
  auto dark = dot.RenderSvg(r);
  ASSERT_TRUE(dark.ok());
  EXPECT_NE(dark->bytes.find("#1e1e1e"), std::string::npos);
  r.code = "digraph {\n  a -> b;\n  b -> ;\n}\n";
  auto bad = dot.RenderSvg(r);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason(), core::Reason::kInvalidDiagramSource);
  EXPECT_NE(bad.error().safe_message().find("line 3"), std::string::npos) << bad.error().safe_message();
  auto problems = dot.Validate(r);
  ASSERT_TRUE(problems.ok());
  ASSERT_FALSE(problems->empty());
  EXPECT_EQ((*problems)[0].line, 3);
  // Dense enough that dot's layout runs for minutes: stopped at the deadline.
  std::string spin = "digraph {";
  for (int i = 0; i < 260; ++i) {
    for (int j = 1; j < 12; ++j) spin += " n" + std::to_string(i) + " -> n" + std::to_string((i * 7 + j) % 260) + ";";
  }
  r.code = spin + "}";
  r.deadline = 1500ms;
  auto slow = dot.RenderSvg(r);
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().reason(), core::Reason::kRenderTimeout);
}

TEST(ParseProblemsTest, LinesOfEachRenderersMessages) {
  auto dot = media::ParseProblems("Error: <stdin>: syntax error in line 7 near '->'\n");
  ASSERT_EQ(dot.size(), 1u);
  EXPECT_EQ(dot[0].line, 7);
  EXPECT_EQ(dot[0].message, "syntax error in line 7 near '->'");
  auto puml = media::ParseProblems("ERROR\n2\nSyntax Error?\n");
  ASSERT_EQ(puml.size(), 1u);
  EXPECT_EQ(puml[0].line, 3);  // PlantUML counts from 0
  EXPECT_EQ(puml[0].message, "Syntax Error?");
  auto warn = media::ParseProblems("Warning: node a, port x unrecognized\n", true);
  ASSERT_EQ(warn.size(), 1u);
  EXPECT_EQ(warn[0].line, 0);
  EXPECT_TRUE(media::ParseProblems("all good\n").empty());
}

}  // namespace
}  // namespace atrium::engines::process
