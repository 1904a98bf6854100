// The media worker (tools/media-worker: Mermaid in headless Chromium, MathJax in Node)
// driven by NodeMediaWorker and the Mermaid and MathJax renderers. SVGs are read back
// with expat. Skipped only when the worker's npm packages are not installed
// (scripts/install-deps installs them).
//
// ATRIUM_WRITE_DOC_IMAGES=dir writes the SVGs docs/images shows (the quadratic formula
// and the spec's Mermaid example) into dir.

#include <expat.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include "engines/media/mathjax_renderer.hpp"
#include "engines/media/mermaid_renderer.hpp"
#include "engines/media/node_media_worker.hpp"

namespace atrium::engines::media {
namespace {

using core::ErrorCode;
using core::Reason;
using core::media::DiagramRequest;
using core::media::FormulaRequest;

const std::string kWorkerDir = ATRIUM_MEDIA_WORKER_DIR;

constexpr const char* kGraphLr = "graph LR\n  A --> B";
constexpr const char* kQuadratic = R"(x = \frac{-b \pm \sqrt{b^2-4ac}}{2a})";

constexpr const char* kFlowchart = R"(flowchart TD
    Start([Upload]) --> Check{Is it a PDF?}
    Check -->|yes| Extract[Extract text page by page]
    Check -->|no| Docx{DOCX?}
    Docx -->|yes| Unzip[Unzip word/document.xml]
    Docx -->|no| Plain[Read as plain text]
    Extract --> Chunk[Chunk into passages]
    Unzip --> Chunk
    Plain --> Chunk
    Chunk --> Embed[(Embeddings)]
    Embed --> Ready([Ready])
    subgraph Retrieval
      Query[/Question/] --> Search[Hybrid search]
      Search --> Rank[Rank fusion]
    end
    Ready --> Search
)";

constexpr const char* kSequence = R"(sequenceDiagram
    participant C as Client
    participant S as Atrium
    participant W as Media worker
    C->>S: POST /render (mermaid)
    activate S
    S->>W: {"op":"mermaid.render"}
    W-->>S: {"ok":true,"svg":"..."}
    alt too slow
      S->>W: killpg SIGKILL
      S-->>C: 504 render timeout
    else in time
      S-->>C: 200 image/svg+xml
    end
    deactivate S
    Note over S,W: one request at a time per worker
)";

bool WorkerInstalled() { return std::filesystem::exists(std::filesystem::path(kWorkerDir) / "node_modules"); }

#define REQUIRE_WORKER()                                                                                           \
  do {                                                                                                             \
    if (!WorkerInstalled()) GTEST_SKIP() << "npm packages missing in " << kWorkerDir << " (scripts/install-deps)"; \
  } while (0)

MediaWorkerOptions Options(std::size_t workers = 1) {
  MediaWorkerOptions o;
  o.worker_dir = kWorkerDir;
  o.workers = workers;
  return o;
}

// The root element's name and attributes, and every element's name, by expat.
struct Svg {
  bool well_formed = false;
  std::string error;
  std::string root;
  std::map<std::string, std::string> root_attributes;
  int elements = 0;
  std::string text;  // character data, concatenated
};

Svg ParseSvg(const std::string& bytes) {
  Svg svg;
  XML_Parser p = XML_ParserCreateNS(nullptr, ' ');
  XML_SetUserData(p, &svg);
  XML_SetElementHandler(
      p,
      [](void* data, const XML_Char* name, const XML_Char** attrs) {
        auto* s = static_cast<Svg*>(data);
        if (s->elements++ == 0) {
          s->root = name;
          for (int i = 0; attrs[i] != nullptr; i += 2) s->root_attributes[attrs[i]] = attrs[i + 1];
        }
      },
      [](void*, const XML_Char*) {});
  XML_SetCharacterDataHandler(p, [](void* data, const XML_Char* s, int len) {
    static_cast<Svg*>(data)->text.append(s, static_cast<std::size_t>(len));
  });
  svg.well_formed = XML_Parse(p, bytes.data(), static_cast<int>(bytes.size()), 1) == XML_STATUS_OK;
  if (!svg.well_formed) svg.error = XML_ErrorString(XML_GetErrorCode(p));
  XML_ParserFree(p);
  return svg;
}

constexpr const char* kSvgRoot = "http://www.w3.org/2000/svg svg";

void MaybeWriteDocImage(const std::string& name, const std::string& bytes) {
  const char* dir = std::getenv("ATRIUM_WRITE_DOC_IMAGES");
  if (dir == nullptr || dir[0] == '\0') return;
  std::filesystem::create_directories(dir);
  std::ofstream(std::filesystem::path(dir) / name, std::ios::binary) << bytes << '\n';
}

std::string WithoutIds(const std::string& svg) {
  return std::regex_replace(svg, std::regex("atrium-mmd-[0-9]+"), "ID");
}

// ------------------------------------------------------------------ the worker itself

TEST(NodeMediaWorker, StartsWithoutNetworkInItsOwnGroupAndAnswersPing) {
  REQUIRE_WORKER();
  NodeMediaWorker worker(Options());
  auto caps = worker.Start();
  ASSERT_TRUE(caps.ok()) << caps.error().internal_message();
  EXPECT_TRUE(caps->mermaid) << worker.log();
  EXPECT_TRUE(caps->tex) << worker.log();
  const pid_t pid = worker.pid();
  ASSERT_GT(pid, 0);
  EXPECT_EQ(::getpgid(pid), pid);
  namespace fs = std::filesystem;
  EXPECT_NE(fs::read_symlink("/proc/self/ns/net"), fs::read_symlink("/proc/" + std::to_string(pid) + "/ns/net"));
  auto pong = worker.Call(R"({"op":"ping"})", NodeMediaWorker::Clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(pong.ok()) << pong.error().internal_message();
  EXPECT_NE(pong->find(R"("ok":true)"), std::string::npos) << *pong;
  EXPECT_EQ(worker.starts(), 1);
}

TEST(NodeMediaWorker, ItsPrivateDirectoryGoesWithIt) {
  REQUIRE_WORKER();
  namespace fs = std::filesystem;
  fs::path dir;
  {
    NodeMediaWorker worker(Options());
    ASSERT_TRUE(worker.Start().ok());
    dir = fs::read_symlink("/proc/" + std::to_string(worker.pid()) + "/cwd");
    EXPECT_NE(dir.filename().string().find("atrium-media-"), std::string::npos) << dir;
    EXPECT_TRUE(fs::is_directory(dir));
  }
  EXPECT_FALSE(fs::exists(dir)) << dir;
}

TEST(NodeMediaWorker, AnAnswerOverTheLineCapIsTooLargeAndTheWorkerRestarts) {
  REQUIRE_WORKER();
  MediaWorkerOptions o = Options();
  o.max_line_bytes = 2000;  // a formula's SVG is larger; a ping's answer is not
  NodeMediaWorker worker(o);
  const auto soon = [] { return NodeMediaWorker::Clock::now() + std::chrono::seconds(30); };
  auto big = worker.Call(R"({"op":"tex.render","latex":"\\sum_{i=1}^{n} \\frac{i^2}{\\sqrt{i}}"})", soon());
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(big.error().reason(), Reason::kRenderTooLarge);
  EXPECT_FALSE(worker.running());
  auto pong = worker.Call(R"({"op":"ping"})", soon());
  ASSERT_TRUE(pong.ok()) << pong.error().internal_message();
  EXPECT_EQ(worker.starts(), 2);
}

TEST(NodeMediaWorker, MissingDirectoryIsUnavailable) {
  MediaWorkerOptions o = Options();
  o.worker_dir = "/nonexistent/media-worker";
  auto pool = std::make_shared<NodeMediaWorkerPool>(o);
  MermaidRenderer mermaid(pool);
  MathJaxRenderer mathjax(pool);
  EXPECT_FALSE(mermaid.available());
  EXPECT_FALSE(mathjax.available());
  auto r = mermaid.RenderSvg(DiagramRequest{.code = kGraphLr});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().reason(), Reason::kRendererUnavailable);
}

// ------------------------------------------------------------------ Mermaid

class MermaidTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_WORKER();
    pool_ = std::make_shared<NodeMediaWorkerPool>(Options());
    renderer_ = std::make_unique<MermaidRenderer>(pool_);
    ASSERT_TRUE(renderer_->available()) << renderer_->unavailable_reason();
  }
  std::shared_ptr<NodeMediaWorkerPool> pool_;
  std::unique_ptr<MermaidRenderer> renderer_;
};

TEST_F(MermaidTest, TheSpecsExampleRendersSvg) {
  EXPECT_EQ(renderer_->name(), "mermaid");
  EXPECT_EQ(renderer_->format(), core::media::DiagramFormat::kMermaid);
  auto r = renderer_->RenderSvg(DiagramRequest{.code = kGraphLr});
  ASSERT_TRUE(r.ok()) << r.error().internal_message();
  EXPECT_EQ(r->format, core::media::ImageFormat::kSvg);
  EXPECT_EQ(r->render_method, "mermaid");
  EXPECT_GT(r->width, 0);
  EXPECT_GT(r->height, 0);
  EXPECT_GT(r->width, r->height);  // left to right
  const Svg svg = ParseSvg(r->bytes);
  ASSERT_TRUE(svg.well_formed) << svg.error << "\n" << r->bytes.substr(0, 500);
  EXPECT_EQ(svg.root, kSvgRoot);
  EXPECT_NEAR(std::stod(svg.root_attributes.at("width")), r->width, 0.5);
  EXPECT_NEAR(std::stod(svg.root_attributes.at("height")), r->height, 0.5);
  EXPECT_NE(svg.text.find('A'), std::string::npos);
  EXPECT_NE(svg.text.find('B'), std::string::npos);
  EXPECT_EQ(r->bytes.find("foreignObject"), std::string::npos) << "labels are SVG text";
  MaybeWriteDocImage("diagram-mermaid-graph-lr.svg", r->bytes);
}

TEST_F(MermaidTest, RealFlowchartAndSequenceDiagramRender) {
  for (const char* code : {kFlowchart, kSequence}) {
    auto r = renderer_->RenderSvg(DiagramRequest{.code = code});
    ASSERT_TRUE(r.ok()) << r.error().internal_message();
    const Svg svg = ParseSvg(r->bytes);
    ASSERT_TRUE(svg.well_formed) << svg.error;
    EXPECT_EQ(svg.root, kSvgRoot);
    EXPECT_GT(svg.elements, 30);
    EXPECT_GT(r->width, 100);
    EXPECT_GT(r->height, 100);
  }
}

TEST_F(MermaidTest, WantedSizeKeepsTheAspectRatio) {
  auto own = renderer_->RenderSvg(DiagramRequest{.code = kGraphLr});
  auto boxed = renderer_->RenderSvg(DiagramRequest{.code = kGraphLr, .width = 1000, .height = 1000});
  ASSERT_TRUE(own.ok() && boxed.ok());
  EXPECT_EQ(boxed->width, 1000);
  EXPECT_NEAR(static_cast<double>(boxed->height) / boxed->width, static_cast<double>(own->height) / own->width, 0.01);
}

TEST_F(MermaidTest, SyntaxErrorIsAProblemOnItsLine) {
  DiagramRequest bad{.code = "graph LR\n  A --> B\n  B -->> -- C ]]\n  C --> D"};
  auto problems = renderer_->Validate(bad);
  ASSERT_TRUE(problems.ok()) << problems.error().internal_message();
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_EQ((*problems)[0].line, 3);
  EXPECT_NE((*problems)[0].message.find("Parse error on line 3"), std::string::npos) << (*problems)[0].message;

  auto ok = renderer_->Validate(DiagramRequest{.code = kSequence});
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->empty());

  auto r = renderer_->RenderSvg(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason(), Reason::kInvalidDiagramSource);
  EXPECT_NE(r.error().safe_message().find("line 3"), std::string::npos);
  // The worker is still fine.
  EXPECT_TRUE(renderer_->RenderSvg(DiagramRequest{.code = kGraphLr}).ok());
  EXPECT_EQ(pool_->starts(), 1);
}

TEST_F(MermaidTest, ThemesDiffer) {
  // The theme is the SVG's stylesheet (the shapes' outlines have some randomness).
  auto style_of = [](const std::string& svg) {
    std::smatch m;
    return std::regex_search(svg, m, std::regex("<style>([^<]*)</style>")) ? WithoutIds(m[1].str()) : std::string();
  };
  std::map<std::string, std::string> by_theme;
  for (const char* theme : {"default", "dark", "forest", "neutral"}) {
    auto r = renderer_->RenderSvg(DiagramRequest{.code = kFlowchart, .theme = theme});
    ASSERT_TRUE(r.ok()) << theme << ": " << r.error().internal_message();
    by_theme[theme] = style_of(r->bytes);
    ASSERT_FALSE(by_theme[theme].empty()) << theme;
  }
  EXPECT_NE(by_theme["default"], by_theme["dark"]);
  EXPECT_NE(by_theme["default"], by_theme["forest"]);
  EXPECT_NE(by_theme["default"], by_theme["neutral"]);
  EXPECT_NE(by_theme["dark"], by_theme["neutral"]);
  // The same theme twice has the same stylesheet.
  auto again = renderer_->RenderSvg(DiagramRequest{.code = kFlowchart, .theme = "dark"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(style_of(again->bytes), by_theme["dark"]);

  auto unknown = renderer_->RenderSvg(DiagramRequest{.code = kGraphLr, .theme = "sepia"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(MermaidTest, SourceOverTheLimitIsTooLarge) {
  std::string code = "graph LR\n";
  while (code.size() <= MermaidRenderer::kMaxCodeBytes) code += "  A --> B\n";
  for (bool validate : {false, true}) {
    const auto error = validate ? renderer_->Validate(DiagramRequest{.code = code}).error()
                                : renderer_->RenderSvg(DiagramRequest{.code = code}).error();
    EXPECT_EQ(error.code(), ErrorCode::kResourceExhausted);
    EXPECT_EQ(error.reason(), Reason::kRenderTooLarge);
  }
}

TEST_F(MermaidTest, PastTheDeadlineTimesOutAndTheNextRequestGetsAFreshWorker) {
  auto slow = renderer_->RenderSvg(DiagramRequest{.code = kFlowchart, .deadline = std::chrono::milliseconds(1)});
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(slow.error().reason(), Reason::kRenderTimeout);
  auto next = renderer_->RenderSvg(DiagramRequest{.code = kGraphLr});
  ASSERT_TRUE(next.ok()) << next.error().internal_message();
  EXPECT_TRUE(ParseSvg(next->bytes).well_formed);
  EXPECT_EQ(pool_->starts(), 2) << "killed and started again";
}

// ------------------------------------------------------------------ MathJax

class MathJaxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_WORKER();
    pool_ = std::make_shared<NodeMediaWorkerPool>(Options());
    renderer_ = std::make_unique<MathJaxRenderer>(pool_);
    ASSERT_TRUE(renderer_->available()) << renderer_->unavailable_reason();
  }
  std::shared_ptr<NodeMediaWorkerPool> pool_;
  std::unique_ptr<MathJaxRenderer> renderer_;
};

TEST_F(MathJaxTest, QuadraticFormulaRendersSizedAndColoured) {
  EXPECT_EQ(renderer_->name(), "mathjax");
  auto r = renderer_->RenderSvg(FormulaRequest{.latex = kQuadratic, .font_size = 20, .color = "#1a73e8"});
  ASSERT_TRUE(r.ok()) << r.error().internal_message();
  EXPECT_EQ(r->render_method, "mathjax");
  EXPECT_GT(r->width, 100);
  EXPECT_GT(r->height, 20);
  const Svg svg = ParseSvg(r->bytes);
  ASSERT_TRUE(svg.well_formed) << svg.error;
  EXPECT_EQ(svg.root, kSvgRoot);
  EXPECT_NE(svg.root_attributes.at("style").find("color: #1a73e8"), std::string::npos)
      << svg.root_attributes.at("style");
  EXPECT_NE(svg.root_attributes.at("width").find("px"), std::string::npos);
  EXPECT_NE(r->bytes.find("currentColor"), std::string::npos);
  EXPECT_GT(svg.elements, 10);  // glyph paths inside, no font cache outside

  // Twice the font size, about twice the width.
  auto big = renderer_->RenderSvg(FormulaRequest{.latex = kQuadratic, .font_size = 40, .color = "#1a73e8"});
  ASSERT_TRUE(big.ok());
  EXPECT_NEAR(big->width, 2 * r->width, 2);
  MaybeWriteDocImage("formula-quadratic.svg", r->bytes);

  auto check = renderer_->Validate(FormulaRequest{.latex = kQuadratic});
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->errors.empty());
}

TEST_F(MathJaxTest, InlineIsSmallerThanDisplay) {
  auto display = renderer_->RenderSvg(FormulaRequest{.latex = R"(\sum_{i=1}^{n} i)", .display_mode = true});
  auto inline_ = renderer_->RenderSvg(FormulaRequest{.latex = R"(\sum_{i=1}^{n} i)", .display_mode = false});
  ASSERT_TRUE(display.ok() && inline_.ok());
  EXPECT_LT(inline_->height, display->height);
}

TEST_F(MathJaxTest, UnknownCommandIsAnError) {
  auto r = renderer_->RenderSvg(FormulaRequest{.latex = R"(x + \foo{y})"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason(), Reason::kInvalidFormula);
  EXPECT_NE(r.error().safe_message().find(R"(Undefined control sequence \foo)"), std::string::npos)
      << r.error().safe_message();
  auto check = renderer_->Validate(FormulaRequest{.latex = R"(x + \foo{y})"});
  ASSERT_TRUE(check.ok());
  ASSERT_EQ(check->errors.size(), 1u);
  EXPECT_EQ(check->errors[0].line, 1);
}

TEST_F(MathJaxTest, UnbalancedBracesAreErrorsWithTheirColumn) {
  auto r = renderer_->RenderSvg(FormulaRequest{.latex = R"(\frac{a}{b)"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason(), Reason::kInvalidFormula);
  EXPECT_NE(r.error().safe_message().find("Missing close brace"), std::string::npos);
  auto open = renderer_->Validate(FormulaRequest{.latex = R"(\frac{a}{b)"});
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->errors.size(), 1u);
  EXPECT_EQ(open->errors[0].column, 9);  // the '{' of {b
  auto extra = renderer_->Validate(FormulaRequest{.latex = "a}"});
  ASSERT_TRUE(extra.ok());
  ASSERT_EQ(extra->errors.size(), 1u);
  EXPECT_NE(extra->errors[0].message.find("Extra close brace or missing open brace"), std::string::npos);
  EXPECT_EQ(extra->errors[0].column, 2);
  // Escaped braces are not braces.
  auto escaped = renderer_->Validate(FormulaRequest{.latex = R"(\{ x \})"});
  ASSERT_TRUE(escaped.ok());
  EXPECT_TRUE(escaped->errors.empty());
}

TEST_F(MathJaxTest, AMillionOpenBracesAreAnsweredWithAnError) {
  // Refused here by size; just under the size limit, by the worker's brace scan; and
  // deep but balanced nesting by MathJax itself, without taking the worker down.
  auto million = renderer_->RenderSvg(FormulaRequest{.latex = std::string(1000000, '{')});
  ASSERT_FALSE(million.ok());
  EXPECT_EQ(million.error().reason(), Reason::kRenderTooLarge);
  auto under = renderer_->RenderSvg(FormulaRequest{.latex = std::string(9999, '{')});
  ASSERT_FALSE(under.ok());
  EXPECT_EQ(under.error().reason(), Reason::kInvalidFormula);
  auto check = renderer_->Validate(FormulaRequest{.latex = std::string(9999, '{')});
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->errors.size(), 1u);
  auto deep = renderer_->RenderSvg(FormulaRequest{.latex = std::string(4000, '{') + "x" + std::string(4000, '}'),
                                                  .deadline = std::chrono::seconds(30)});
  if (!deep.ok()) {
    EXPECT_EQ(deep.error().reason(), Reason::kInvalidFormula) << deep.error().internal_message();
  }
  EXPECT_TRUE(renderer_->RenderSvg(FormulaRequest{.latex = "e^{i\\pi} + 1 = 0"}).ok());
  EXPECT_EQ(pool_->starts(), 1);
}

TEST_F(MathJaxTest, BadColourAndFontSizeAreRefusedHere) {
  auto colour = renderer_->RenderSvg(FormulaRequest{.latex = "x", .color = "red\" onload=\"x"});
  ASSERT_FALSE(colour.ok());
  EXPECT_EQ(colour.error().code(), ErrorCode::kInvalidArgument);
  auto size = renderer_->RenderSvg(FormulaRequest{.latex = "x", .font_size = -3});
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(size.error().code(), ErrorCode::kInvalidArgument);
}

// ------------------------------------------------------------------ both, concurrently

TEST(MediaWorkerPool, TwoThreadsBothSucceed) {
  REQUIRE_WORKER();
  auto pool = std::make_shared<NodeMediaWorkerPool>(Options(2));
  MermaidRenderer mermaid(pool);
  MathJaxRenderer mathjax(pool);
  ASSERT_TRUE(mermaid.available()) << mermaid.unavailable_reason();
  ASSERT_TRUE(mathjax.available()) << mathjax.unavailable_reason();
  bool diagram_ok = false, formula_ok = false;
  std::string why;
  std::thread a([&] {
    for (int i = 0; i < 3; ++i) {
      auto r = mermaid.RenderSvg(
          DiagramRequest{.code = i % 2 == 0 ? kFlowchart : kSequence, .deadline = std::chrono::seconds(60)});
      diagram_ok = r.ok() && ParseSvg(r->bytes).well_formed;
      if (!diagram_ok) return;
    }
  });
  std::thread b([&] {
    for (int i = 0; i < 3; ++i) {
      auto r = mathjax.RenderSvg(FormulaRequest{.latex = kQuadratic, .deadline = std::chrono::seconds(60)});
      formula_ok = r.ok() && ParseSvg(r->bytes).well_formed;
      if (!formula_ok) return;
    }
  });
  a.join();
  b.join();
  EXPECT_TRUE(diagram_ok) << pool->log();
  EXPECT_TRUE(formula_ok) << pool->log();
  EXPECT_LE(pool->starts(), 2);
}

TEST(MediaWorkerPool, ARequestWaitsForTheBusyWorkerUpToItsDeadline) {
  REQUIRE_WORKER();
  auto pool = std::make_shared<NodeMediaWorkerPool>(Options(1));
  MermaidRenderer mermaid(pool);
  ASSERT_TRUE(mermaid.available()) << mermaid.unavailable_reason();
  std::thread slow([&] {
    EXPECT_TRUE(mermaid.RenderSvg(DiagramRequest{.code = kFlowchart, .deadline = std::chrono::seconds(60)}).ok());
  });
  // Either it got the worker first (and succeeds) or waited for it: never a crash, and
  // a wait past its deadline is a timeout.
  auto r = mermaid.RenderSvg(DiagramRequest{.code = kGraphLr, .deadline = std::chrono::seconds(60)});
  slow.join();
  EXPECT_TRUE(r.ok()) << r.error().internal_message();
}

}  // namespace
}  // namespace atrium::engines::media
