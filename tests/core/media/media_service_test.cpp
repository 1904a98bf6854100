// The media core over scripted renderers: sizes and limits checked before a renderer
// runs, unavailable kinds said truthfully (capabilities and 503-style errors), SVG sized
// and rasterised (one side asked: the other kept in proportion), results kept by content
// hash and bounded in bytes, and a full house of renders refused as busy.

#include "core/media/media_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/media/render_cache.hpp"
#include "core/media/svg_size.hpp"

namespace atrium::core::media {
namespace {

class ScriptedDiagrams final : public DiagramRenderer {
 public:
  explicit ScriptedDiagrams(DiagramFormat f, bool available = true) : format_(f), available_(available) {}
  DiagramFormat format() const override { return format_; }
  bool available() const override { return available_; }
  std::string name() const override { return "scripted"; }
  Result<RenderedImage> RenderSvg(const DiagramRequest& r) override {
    ++renders;
    if (block) {
      std::unique_lock lock(mu);
      ++waiting;
      cv.notify_all();
      cv.wait(lock, [&] { return !block; });
    }
    if (r.code == "bad") {
      return Error(ErrorCode::kInvalidArgument, "line 2: nope").WithReason(Reason::kInvalidDiagramSource);
    }
    RenderedImage i;
    i.bytes = R"(<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="100pt" viewBox="0 0 200 100"><text>)" +
              r.code + "</text></svg>";
    i.render_method = "scripted";
    return i;
  }
  Result<std::vector<SourceProblem>> Validate(const DiagramRequest& r) override {
    if (r.code == "bad") return std::vector<SourceProblem>{{2, 0, "nope"}};
    return std::vector<SourceProblem>{};
  }
  void Release() {
    std::lock_guard lock(mu);
    block = false;
    cv.notify_all();
  }

  std::atomic<int> renders{0};
  bool block = false;
  int waiting = 0;
  std::mutex mu;
  std::condition_variable cv;

 private:
  DiagramFormat format_;
  bool available_;
};

class RecordingRasterizer final : public SvgRasterizer {
 public:
  Result<RenderedImage> ToPng(std::string_view svg, int width, int height, double, long max_pixels) override {
    last_svg = std::string(svg);
    if (static_cast<long>(width) * height > max_pixels) {
      return Error(ErrorCode::kResourceExhausted, "too large").WithReason(Reason::kRenderTooLarge);
    }
    RenderedImage i;
    i.format = ImageFormat::kPng;
    i.bytes = "PNG";
    i.width = width;
    i.height = height;
    return i;
  }
  std::string last_svg;
};

TEST(MediaServiceTest, CapabilitiesSayWhatIsAvailable) {
  ScriptedDiagrams graphviz(DiagramFormat::kGraphviz), d2(DiagramFormat::kD2, false);
  MediaService media({&graphviz, &d2}, nullptr, nullptr, nullptr, true);
  const auto& c = media.capabilities();
  ASSERT_EQ(c.diagrams.size(), 4u);
  EXPECT_FALSE(c.diagrams[0].available);  // mermaid: none given
  EXPECT_TRUE(c.diagrams[1].available);
  EXPECT_EQ(c.diagrams[1].renderer, "scripted");
  EXPECT_FALSE(c.diagrams[2].available);
  EXPECT_FALSE(c.diagrams[3].available);  // d2: given but not working
  EXPECT_FALSE(c.formulas);
  EXPECT_FALSE(c.maps);
  EXPECT_TRUE(c.latex);
  auto r = media.RenderDiagram({.format = DiagramFormat::kD2, .code = "a -> b"}, ImageFormat::kSvg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason(), Reason::kRendererUnavailable);
  EXPECT_EQ(media.RenderFormula({.latex = "x"}, ImageFormat::kSvg).error().reason(), Reason::kRendererUnavailable);
  EXPECT_EQ(media.RenderMap({}).error().reason(), Reason::kRendererUnavailable);
}

TEST(MediaServiceTest, SizesPngAndTheCache) {
  ScriptedDiagrams graphviz(DiagramFormat::kGraphviz);
  RecordingRasterizer raster;
  MediaService media({&graphviz}, nullptr, nullptr, &raster, false);
  // Own size: 200pt x 100pt is 267 x 133 px.
  auto own = media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = "a"}, ImageFormat::kSvg);
  ASSERT_TRUE(own.ok()) << own.error().internal_message();
  EXPECT_EQ(own->width, 267);
  EXPECT_EQ(own->height, 133);
  EXPECT_EQ(own->render_method, "scripted");
  // Only a width: the height follows the aspect ratio; the SVG says so.
  auto wide = media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = "a", .width = 800}, ImageFormat::kSvg);
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ(wide->width, 800);
  EXPECT_EQ(wide->height, 400);
  const auto size = ReadSvgSize(wide->bytes);
  ASSERT_TRUE(size);
  EXPECT_EQ(size->width, 800);
  EXPECT_EQ(size->height, 400);
  // PNG: the rasteriser gets the sized SVG.
  auto png = media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = "a", .width = 640, .height = 480},
                                 ImageFormat::kPng);
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->format, ImageFormat::kPng);
  EXPECT_EQ(png->width, 640);
  EXPECT_EQ(png->render_method, "scripted");
  EXPECT_NE(raster.last_svg.find(R"(width="640" height="480")"), std::string::npos);
  // The same request again comes from the cache.
  const int before = graphviz.renders.load();
  auto again = media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = "a", .width = 640, .height = 480},
                                   ImageFormat::kPng);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->bytes, png->bytes);
  EXPECT_EQ(graphviz.renders.load(), before);
  EXPECT_GE(media.stats().cache_hits, 1u);
  // A refused source is the renderer's error, and not cached.
  auto bad = media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = "bad"}, ImageFormat::kSvg);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason(), Reason::kInvalidDiagramSource);
  auto problems = media.ValidateDiagram({.format = DiagramFormat::kGraphviz, .code = "bad"});
  ASSERT_TRUE(problems.ok());
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_EQ((*problems)[0].line, 2);
}

TEST(MediaServiceTest, LimitsComeFirst) {
  ScriptedDiagrams graphviz(DiagramFormat::kGraphviz);
  RecordingRasterizer raster;
  MediaLimits limits;
  limits.max_diagram_bytes = 10;
  limits.max_png_pixels = 1000;
  MediaService media({&graphviz}, nullptr, nullptr, &raster, false, limits);
  auto r = media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = std::string(11, 'a')}, ImageFormat::kSvg);
  EXPECT_EQ(r.error().reason(), Reason::kRenderTooLarge);
  r = media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = "a", .width = 5000}, ImageFormat::kSvg);
  EXPECT_EQ(r.error().reason(), Reason::kRenderTooLarge);
  r = media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = ""}, ImageFormat::kSvg);
  EXPECT_EQ(r.error().reason(), Reason::kInvalidDiagramSource);
  r = media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = "a", .width = 100, .height = 100},
                          ImageFormat::kPng);
  EXPECT_EQ(r.error().reason(), Reason::kRenderTooLarge);  // 10,000 pixels > 1,000
  EXPECT_EQ(graphviz.renders.load(), 0);
  MapRequest map;
  map.markers.resize(100000);
  EXPECT_EQ(media.RenderMap(map).error().reason(), Reason::kRenderTooLarge);
  EXPECT_EQ(media.RenderFormula({.latex = std::string(20000, '{')}, ImageFormat::kSvg).error().reason(),
            Reason::kRenderTooLarge);
}

TEST(MediaServiceTest, AFullHouseIsBusy) {
  ScriptedDiagrams graphviz(DiagramFormat::kGraphviz);
  graphviz.block = true;
  MediaLimits limits;
  limits.max_concurrent = 1;
  limits.max_waiting = 0;
  MediaService media({&graphviz}, nullptr, nullptr, nullptr, false, limits);
  std::thread first([&] {
    EXPECT_TRUE(media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = "one"}, ImageFormat::kSvg).ok());
  });
  {
    std::unique_lock lock(graphviz.mu);
    graphviz.cv.wait(lock, [&] { return graphviz.waiting == 1; });
  }
  auto busy = media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = "two"}, ImageFormat::kSvg);
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().reason(), Reason::kRenderBusy);
  graphviz.Release();
  first.join();
  EXPECT_TRUE(media.RenderDiagram({.format = DiagramFormat::kGraphviz, .code = "two"}, ImageFormat::kSvg).ok());
}

TEST(RenderCacheTest, LeastRecentlyUsedGoesFirstWithinTheBound) {
  RenderCache cache(8000);
  RenderedImage big;
  big.bytes = std::string(1500, 'x');  // about 1,565 bytes with its key and overhead
  for (const char* k : {"a", "b", "c", "d", "e"}) cache.Put(k, big);
  EXPECT_EQ(cache.entries(), 5u);
  ASSERT_TRUE(cache.Get("a"));  // a is now the most recent
  cache.Put("f", big);          // past 8000: b, the least recent, goes
  EXPECT_FALSE(cache.Get("b"));
  for (const char* k : {"a", "c", "d", "e", "f"}) EXPECT_TRUE(cache.Get(k)) << k;
  EXPECT_LE(cache.bytes(), 8000u);
  RenderedImage huge;
  huge.bytes = std::string(2500, 'y');  // over a quarter of the bound: not kept
  cache.Put("huge", huge);
  EXPECT_FALSE(cache.Get("huge"));
  EXPECT_NE(RenderKey({"ab", "c"}), RenderKey({"a", "bc"}));
  EXPECT_EQ(RenderKey({"ab", "c"}).size(), 64u);
}

TEST(SvgSizeTest, ReadsUnitsAndViewBoxesAndResizes) {
  EXPECT_EQ(ReadSvgSize(R"(<svg width="30pt" height="15pt">)")->width, 40);
  EXPECT_EQ(ReadSvgSize(R"(<?xml version="1.0"?><svg xmlns="x" height="2ex" width="10ex" >)")->width, 80);
  EXPECT_EQ(ReadSvgSize(R"(<svg viewBox="0 0 120.5 60" style="max-width: 120px">)")->width, 120.5);
  EXPECT_EQ(ReadSvgSize(R"(<svg width="100%" viewBox="0,0,50,25">)")->height, 25);
  EXPECT_FALSE(ReadSvgSize("<svgx width='1' height='1'>"));
  EXPECT_FALSE(ReadSvgSize("<svg>"));
  EXPECT_FALSE(ReadSvgSize("not svg"));
  const std::string resized = ResizeSvg(R"(<svg a="w" width="30pt" height="15pt"><g/></svg>)", 80, 40);
  EXPECT_EQ(ReadSvgSize(resized)->width, 80);
  EXPECT_EQ(ReadSvgSize(resized)->height, 40);
  EXPECT_NE(resized.find("viewBox=\"0 0 40"), std::string::npos);  // the old size kept as the drawing's box
  EXPECT_NE(resized.find("<g/></svg>"), std::string::npos);
  EXPECT_EQ(ResizeSvg("plain", 1, 1), "plain");
  // An attribute named like width inside another is not width.
  EXPECT_EQ(ReadSvgSize(R"(<svg stroke-width="9" width="10" height="20">)")->width, 10);
}

}  // namespace
}  // namespace atrium::core::media
