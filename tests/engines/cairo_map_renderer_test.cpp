// The static maps on Cairo and Pango over Natural Earth's world-atlas data
// (tools/map-data, installed by scripts/install-deps): PNGs decoded back with Cairo and
// read pixel by pixel, SVGs parsed with expat, and every refused request's code and
// reason. Set ATRIUM_WRITE_DOC_IMAGES=<dir> to also write the documentation's example
// (docs/images/map-italian-city-states.png).

#include "engines/media/cairo_map_renderer.hpp"

#include <cairo.h>
#include <expat.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <thread>

#include "engines/media/map_styles.hpp"
#include "engines/media/topojson.hpp"

namespace atrium::engines::media {
namespace {

using core::ErrorCode;
using core::Reason;
using core::media::GeoPoint;
using core::media::ImageFormat;
using core::media::MapMarker;
using core::media::MapRegion;
using core::media::MapRequest;
using core::media::MapRoute;

constexpr const char* kDataDir = ATRIUM_MAP_DATA_DIR;
constexpr double kPi = 3.14159265358979323846;

bool DataInstalled() { return std::ifstream(std::string(kDataDir) + "/countries-50m.json").good(); }

// One renderer for the whole suite: the data is decoded once, as in the server.
CairoMapRenderer& Renderer() {
  static CairoMapRenderer renderer(kDataDir);
  return renderer;
}

#define REQUIRE_MAP_DATA()                                                                            \
  do {                                                                                                \
    if (!DataInstalled()) GTEST_SKIP() << "no map data in " << kDataDir << " (scripts/install-deps)"; \
  } while (0)

MapRequest ItalianCityStates() {
  MapRequest r;
  r.title = "Italian City-States";
  r.center = {43.0, 12.0};
  r.zoom = 6;
  r.style = "educational";
  r.width = 800;
  r.height = 600;
  r.format = ImageFormat::kPng;
  r.markers.push_back(MapMarker{{41.9, 12.5}, "Rome", "#E74C3C"});
  r.routes.push_back(MapRoute{{{41.9, 12.5}, {43.7, 11.2}}, "Trade Route", "#3498DB", 2});
  r.regions.push_back(MapRegion{{{42, 11}, {42.5, 13}, {41.5, 13}}, "Papal States", "#ff0000", 0.3});
  return r;
}

struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;

struct ReadCursor {
  const std::string* bytes;
  std::size_t at = 0;
};

cairo_status_t ReadBytes(void* closure, unsigned char* data, unsigned int length) {
  auto* c = static_cast<ReadCursor*>(closure);
  if (c->bytes->size() - c->at < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, c->bytes->data() + c->at, length);
  c->at += length;
  return CAIRO_STATUS_SUCCESS;
}

Surface DecodePng(const std::string& png) {
  ReadCursor cursor{&png};
  Surface s(cairo_image_surface_create_from_png_stream(ReadBytes, &cursor));
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS) return nullptr;
  cairo_surface_flush(s.get());
  return s;
}

struct Rgb {
  int r = 0, g = 0, b = 0;
};

Rgb Pixel(cairo_surface_t* s, int x, int y) {
  const unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  std::uint32_t v = 0;
  std::memcpy(&v, data + static_cast<std::ptrdiff_t>(y) * stride + static_cast<std::ptrdiff_t>(x) * 4, 4);
  return {static_cast<int>((v >> 16) & 0xFF), static_cast<int>((v >> 8) & 0xFF), static_cast<int>(v & 0xFF)};
}

bool Near(Rgb a, Rgb b, int tolerance = 3) {
  return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
}

// The pixel of a point on a map of `r` (Web Mercator, the centre in the middle).
std::pair<double, double> Projected(const MapRequest& r, GeoPoint p) {
  const double world = 256 * std::pow(2.0, r.zoom);
  auto x = [&](double lon) { return (lon + 180) / 360 * world; };
  auto y = [&](double lat) {
    const double s = std::sin(lat * kPi / 180);
    return (0.5 - std::log((1 + s) / (1 - s)) / (4 * kPi)) * world;
  };
  return {x(p.longitude) - x(r.center.longitude) + r.width / 2.0,
          y(p.latitude) - y(r.center.latitude) + r.height / 2.0};
}

std::string Png(const MapRequest& r) {
  auto image = Renderer().Render(r);
  EXPECT_TRUE(image.ok()) << (image.ok() ? "" : image.error().internal_message());
  return image.ok() ? image->bytes : std::string();
}

TEST(CairoMapRenderer, ListsTheSixStyles) {
  const auto styles = Renderer().Styles();
  std::vector<std::string> ids;
  for (const auto& s : styles) {
    ids.push_back(s.id);
    EXPECT_FALSE(s.name.empty());
    EXPECT_FALSE(s.description.empty());
  }
  EXPECT_EQ(ids,
            (std::vector<std::string>{"standard", "historical", "physical", "satellite", "minimal", "educational"}));
  EXPECT_EQ(Renderer().name(), "cairo");
}

TEST(CairoMapRenderer, DrawsTheItalianCityStates) {
  REQUIRE_MAP_DATA();
  EXPECT_TRUE(Renderer().available());
  const MapRequest request = ItalianCityStates();
  auto image = Renderer().Render(request);
  ASSERT_TRUE(image.ok()) << image.error().internal_message();
  EXPECT_EQ(image->format, ImageFormat::kPng);
  EXPECT_EQ(image->width, 800);
  EXPECT_EQ(image->height, 600);
  EXPECT_EQ(image->render_method, "cairo");
  ASSERT_EQ(image->bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_LT(image->bytes.size(), 300u * 1024);

  Surface decoded = DecodePng(image->bytes);
  ASSERT_NE(decoded, nullptr);
  EXPECT_EQ(cairo_image_surface_get_width(decoded.get()), 800);
  EXPECT_EQ(cairo_image_surface_get_height(decoded.get()), 600);
  const auto [x, y] = Projected(request, {41.9, 12.5});
  EXPECT_TRUE(Near(Pixel(decoded.get(), static_cast<int>(x), static_cast<int>(y)), {0xE7, 0x4C, 0x3C}));
  // The sea of the educational style is in the corner below the title band (the Tyrrhenian
  // or the Adriatic is somewhere: at least some of the image is sea).
  int sea = 0;
  for (int py = 0; py < 600; py += 10) {
    for (int px = 0; px < 800; px += 10) sea += Near(Pixel(decoded.get(), px, py), {0x7E, 0xC8, 0xF0}) ? 1 : 0;
  }
  EXPECT_GT(sea, 100);

  if (const char* dir = std::getenv("ATRIUM_WRITE_DOC_IMAGES"); dir != nullptr && *dir != '\0') {
    std::ofstream(std::string(dir) + "/map-italian-city-states.png", std::ios::binary) << image->bytes;
  }
}

TEST(CairoMapRenderer, EveryStyleLooksDifferent) {
  REQUIRE_MAP_DATA();
  std::vector<Surface> images;
  const auto styles = Renderer().Styles();
  for (const auto& style : styles) {
    MapRequest r = ItalianCityStates();
    r.style = style.id;
    r.width = 400;
    r.height = 300;
    images.push_back(DecodePng(Png(r)));
    ASSERT_NE(images.back(), nullptr) << style.id;
  }
  for (std::size_t a = 0; a < images.size(); ++a) {
    for (std::size_t b = a + 1; b < images.size(); ++b) {
      int different = 0;
      for (int y = 0; y < 300; y += 3) {
        for (int x = 0; x < 400; x += 3) {
          different += Near(Pixel(images[a].get(), x, y), Pixel(images[b].get(), x, y), 8) ? 0 : 1;
        }
      }
      EXPECT_GT(different, 1000) << styles[a].id << " vs " << styles[b].id;
    }
  }
}

struct SvgRoot {
  std::string name;
  std::string width, height;
  int depth = 0;
};

TEST(CairoMapRenderer, WritesSvgThatParsesAsXml) {
  REQUIRE_MAP_DATA();
  MapRequest r = ItalianCityStates();
  r.format = ImageFormat::kSvg;
  r.style = "historical";
  auto image = Renderer().Render(r);
  ASSERT_TRUE(image.ok()) << image.error().internal_message();
  EXPECT_EQ(image->format, ImageFormat::kSvg);
  EXPECT_EQ(image->width, 800);
  EXPECT_EQ(image->height, 600);

  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(XML_ParserCreate(nullptr),
                                                                                       XML_ParserFree);
  SvgRoot root;
  XML_SetUserData(parser.get(), &root);
  XML_SetElementHandler(
      parser.get(),
      [](void* data, const XML_Char* name, const XML_Char** attrs) {
        auto* svg = static_cast<SvgRoot*>(data);
        if (svg->depth++ != 0) return;
        svg->name = name;
        for (int i = 0; attrs[i] != nullptr; i += 2) {
          if (std::strcmp(attrs[i], "width") == 0) svg->width = attrs[i + 1];
          if (std::strcmp(attrs[i], "height") == 0) svg->height = attrs[i + 1];
        }
      },
      [](void* data, const XML_Char*) { --static_cast<SvgRoot*>(data)->depth; });
  ASSERT_EQ(XML_Parse(parser.get(), image->bytes.data(), static_cast<int>(image->bytes.size()), 1), XML_STATUS_OK)
      << XML_ErrorString(XML_GetErrorCode(parser.get()));
  EXPECT_EQ(root.name, "svg");
  EXPECT_EQ(std::strtod(root.width.c_str(), nullptr), 800) << root.width;
  EXPECT_EQ(std::strtod(root.height.c_str(), nullptr), 600) << root.height;
}

// The share of sampled pixels in columns [x0, x1) that are not the sea's colour.
double NotSea(cairo_surface_t* s, int x0, int x1, Rgb sea) {
  int land = 0, all = 0;
  const int h = cairo_image_surface_get_height(s);
  for (int y = 40; y < h; y += 4) {
    for (int x = x0; x < x1; x += 4) {
      ++all;
      land += Near(Pixel(s, x, y), sea, 6) ? 0 : 1;
    }
  }
  return all == 0 ? 0 : static_cast<double>(land) / all;
}

TEST(CairoMapRenderer, DrawsTheWholeWorldAtZoomZero) {
  REQUIRE_MAP_DATA();
  MapRequest r;
  r.title = "The World";
  r.center = {0, 0};
  r.zoom = 0;
  r.style = "standard";
  r.width = 512;
  r.height = 256;
  Surface s = DecodePng(Png(r));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(cairo_image_surface_get_width(s.get()), 512);
  // The 256-pixel world twice across: land in both halves.
  EXPECT_GT(NotSea(s.get(), 0, 256, {0xA8, 0xD5, 0xF2}), 0.1);
  EXPECT_GT(NotSea(s.get(), 256, 512, {0xA8, 0xD5, 0xF2}), 0.1);
}

TEST(CairoMapRenderer, DrawsBothSidesOfTheAntimeridian) {
  REQUIRE_MAP_DATA();
  MapRequest r;
  r.center = {62, 179};  // Chukotka to the west, Alaska to the east
  r.zoom = 3;
  r.style = "standard";
  r.width = 800;
  r.height = 400;
  r.markers.push_back(MapMarker{{64.5, -165.4}, "Nome", "#000000"});
  r.routes.push_back(MapRoute{{{64.7, 177.5}, {64.5, -165.4}}, "Across", "#3498DB", 2});
  Surface s = DecodePng(Png(r));
  ASSERT_NE(s, nullptr);
  EXPECT_GT(NotSea(s.get(), 0, 250, {0xA8, 0xD5, 0xF2}), 0.2);
  EXPECT_GT(NotSea(s.get(), 550, 800, {0xA8, 0xD5, 0xF2}), 0.2);
  // Nome is east of the antimeridian, so right of the centre (on the world's next copy).
  const auto [x, y] = Projected(r, {64.5, -165.4 + 360});
  EXPECT_TRUE(Near(Pixel(s.get(), static_cast<int>(x), static_cast<int>(y)), {0, 0, 0}));
}

TEST(CairoMapRenderer, DrawsAtTheLargestZoomAndSize) {
  REQUIRE_MAP_DATA();
  MapRequest r;
  r.center = {48.8566, 2.3522};
  r.zoom = 18;
  r.width = 64;
  r.height = 64;
  r.regions.push_back(MapRegion{{{-60, -170}, {70, -10}, {70, 170}}, "Huge", "#00ff00", 0.5});
  r.routes.push_back(MapRoute{{{-80, -179}, {80, 179}}, "Far away", "#123", 3});
  r.markers.push_back(MapMarker{{-41.3, 174.8}, "Wellington", "#E74C3C"});  // millions of pixels away
  EXPECT_NE(DecodePng(Png(r)), nullptr);
  r.format = ImageFormat::kSvg;
  EXPECT_TRUE(Renderer().Render(r).ok());
  r.format = ImageFormat::kPng;
  r.zoom = 2.5;
  r.width = 4096;
  r.height = 200;
  EXPECT_NE(DecodePng(Png(r)), nullptr);
}

TEST(CairoMapRenderer, RendersConcurrently) {
  REQUIRE_MAP_DATA();
  std::vector<std::thread> threads;
  std::vector<std::string> out(4);
  for (std::size_t i = 0; i < out.size(); ++i) {
    threads.emplace_back([i, &out] {
      MapRequest r = ItalianCityStates();
      r.width = 300;
      r.height = 200;
      r.style = i % 2 == 0 ? "standard" : "satellite";
      auto image = Renderer().Render(r);
      if (image.ok()) out[i] = image->bytes;
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& bytes : out) EXPECT_NE(DecodePng(bytes), nullptr);
  EXPECT_EQ(out[0], out[2]);
  EXPECT_EQ(out[1], out[3]);
}

struct Refusal {
  const char* what;
  std::function<void(MapRequest&)> change;
  ErrorCode code;
  Reason reason;
  const char* field;  // named in the message
};

TEST(CairoMapRenderer, RefusesBadRequests) {
  const auto invalid = ErrorCode::kInvalidArgument;
  const auto too_large = ErrorCode::kResourceExhausted;
  const auto bad = Reason::kInvalidMapRequest;
  const auto big = Reason::kRenderTooLarge;
  const std::vector<Refusal> cases = {
      {"width 0", [](MapRequest& r) { r.width = 0; }, invalid, bad, "width"},
      {"height -5", [](MapRequest& r) { r.height = -5; }, invalid, bad, "height"},
      {"width past the limit", [](MapRequest& r) { r.width = 4097; }, too_large, big, "width"},
      {"height past the limit", [](MapRequest& r) { r.height = 100000; }, too_large, big, "height"},
      {"zoom -1", [](MapRequest& r) { r.zoom = -1; }, invalid, bad, "zoom"},
      {"zoom 18.5", [](MapRequest& r) { r.zoom = 18.5; }, invalid, bad, "zoom"},
      {"zoom NaN", [](MapRequest& r) { r.zoom = std::nan(""); }, invalid, bad, "zoom"},
      {"latitude 91", [](MapRequest& r) { r.center.latitude = 91; }, invalid, bad, "center.latitude"},
      {"longitude -181", [](MapRequest& r) { r.center.longitude = -181; }, invalid, bad, "center.longitude"},
      {"unknown style", [](MapRequest& r) { r.style = "neon"; }, invalid, bad, "style"},
      {"marker latitude", [](MapRequest& r) { r.markers[0].at.latitude = -90.5; }, invalid, bad, "markers[0].latitude"},
      {"marker longitude", [](MapRequest& r) { r.markers[0].at.longitude = 200; }, invalid, bad,
       "markers[0].longitude"},
      {"route point", [](MapRequest& r) { r.routes[0].points[1].longitude = 180.01; }, invalid, bad,
       "routes[0].points[1].longitude"},
      {"region point", [](MapRequest& r) { r.regions[0].points[2].latitude = 95; }, invalid, bad,
       "regions[0].points[2].latitude"},
      {"marker colour", [](MapRequest& r) { r.markers[0].color = "red"; }, invalid, bad, "markers[0].color"},
      {"marker colour #ab", [](MapRequest& r) { r.markers[0].color = "#ab"; }, invalid, bad, "markers[0].color"},
      {"marker colour #ggg", [](MapRequest& r) { r.markers[0].color = "#ggg"; }, invalid, bad, "markers[0].color"},
      {"route colour", [](MapRequest& r) { r.routes[0].color = "#12345"; }, invalid, bad, "routes[0].color"},
      {"region colour", [](MapRequest& r) { r.regions[0].fill_color = "ff0000"; }, invalid, bad,
       "regions[0].fillColor"},
      {"route of one point", [](MapRequest& r) { r.routes[0].points.resize(1); }, invalid, bad, "routes[0].points"},
      {"region of two points", [](MapRequest& r) { r.regions[0].points.resize(2); }, invalid, bad, "regions[0].points"},
      {"route width 0", [](MapRequest& r) { r.routes[0].width = 0; }, invalid, bad, "routes[0].width"},
      {"opacity 1.5", [](MapRequest& r) { r.regions[0].fill_opacity = 1.5; }, invalid, bad, "regions[0].fillOpacity"},
      {"long marker label", [](MapRequest& r) { r.markers[0].label = std::string(201, 'a'); }, invalid, bad,
       "markers[0].label"},
      {"long route label", [](MapRequest& r) { r.routes[0].label = std::string(300, 'b'); }, invalid, bad,
       "routes[0].label"},
      {"long region label", [](MapRequest& r) { r.regions[0].label = std::string(201, 'c'); }, invalid, bad,
       "regions[0].label"},
      {"long title", [](MapRequest& r) { r.title = std::string(201, 'd'); }, invalid, bad, "title"},
      {"label not UTF-8", [](MapRequest& r) { r.markers[0].label = "\xff\xfe"; }, invalid, bad, "markers[0].label"},
      {"too many markers", [](MapRequest& r) { r.markers.resize(1001); }, too_large, big, "markers"},
      {"too many routes", [](MapRequest& r) { r.routes.resize(201, r.routes[0]); }, too_large, big, "routes"},
      {"too many regions", [](MapRequest& r) { r.regions.resize(201, r.regions[0]); }, too_large, big, "regions"},
      {"too many points", [](MapRequest& r) { r.routes[0].points.resize(20001); }, too_large, big, "points"},
  };
  for (const Refusal& c : cases) {
    MapRequest r = ItalianCityStates();
    c.change(r);
    auto image = Renderer().Render(r);
    ASSERT_FALSE(image.ok()) << c.what;
    EXPECT_EQ(image.error().code(), c.code) << c.what;
    EXPECT_EQ(image.error().reason(), c.reason) << c.what;
    EXPECT_NE(image.error().safe_message().find(c.field), std::string::npos)
        << c.what << ": " << image.error().safe_message();
  }
  // A label of exactly 200 bytes is fine.
  MapRequest r = ItalianCityStates();
  r.markers[0].label = std::string(200, 'a');
  r.width = 100;
  r.height = 100;
  if (DataInstalled()) {
    EXPECT_TRUE(Renderer().Render(r).ok());
  }
}

TEST(CairoMapRenderer, RefusesAHundredThousandMarkersWithoutDrawing) {
  MapRequest r = ItalianCityStates();
  r.markers.assign(100000, MapMarker{{41.9, 12.5}, "Rome", "#E74C3C"});
  const auto start = std::chrono::steady_clock::now();
  auto image = Renderer().Render(r);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(image.error().reason(), Reason::kRenderTooLarge);
  EXPECT_LT(took, std::chrono::milliseconds(100));
}

TEST(CairoMapRenderer, TakesItsLimits) {
  CairoMapRenderer small(kDataDir, core::media::MapLimits{200, 200, 1, 1, 1, 10});
  MapRequest r = ItalianCityStates();
  auto image = small.Render(r);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().reason(), Reason::kRenderTooLarge);
  r.width = 200;
  r.height = 200;
  r.markers.push_back(r.markers[0]);
  image = small.Render(r);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().safe_message().find("markers"), std::string::npos);
}

TEST(CairoMapRenderer, IsUnavailableWithoutData) {
  CairoMapRenderer missing("/nonexistent/world-atlas");
  EXPECT_FALSE(missing.available());
  auto image = missing.Render(ItalianCityStates());
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(image.error().reason(), Reason::kRendererUnavailable);
  // Invalid requests are still refused as such.
  MapRequest bad = ItalianCityStates();
  bad.zoom = 30;
  EXPECT_EQ(missing.Render(bad).error().reason(), Reason::kInvalidMapRequest);
}

TEST(TopoJson, DecodesQuantizedDeltaArcsAndReversal) {
  // Arc 0: (0,0) (1,0) (1,1); arc 1: (1,1) (0,1) (0,0), both delta-encoded, scaled by 10
  // and moved by (-5, 2).
  const std::string topology = R"({"type":"Topology",
    "transform":{"scale":[10,10],"translate":[-5,2]},
    "arcs":[[[0,0],[1,0],[0,1]],[[1,1],[-1,0],[0,-1]]],
    "objects":{"shapes":{"type":"GeometryCollection","geometries":[
      {"type":"Polygon","arcs":[[0,1]],"id":"7","properties":{"name":"Square"}},
      {"type":"MultiPolygon","arcs":[[[-2,-1]],[[0,1]]],"id":8},
      {"type":"Point","coordinates":[0,0]},
      {"type":null}
    ]}}})";
  auto features = DecodeTopoJson(topology, "shapes");
  ASSERT_TRUE(features.ok()) << features.error().internal_message();
  ASSERT_EQ(features->size(), 2u);
  const TopoFeature& square = (*features)[0];
  EXPECT_EQ(square.name, "Square");
  EXPECT_EQ(square.id, "7");
  ASSERT_EQ(square.polygons.size(), 1u);
  const auto& ring = square.polygons[0].rings.at(0);
  const std::vector<std::pair<double, double>> expected = {{-5, 2}, {5, 2}, {5, 12}, {-5, 12}, {-5, 2}};
  ASSERT_EQ(ring.size(), expected.size());
  for (std::size_t i = 0; i < ring.size(); ++i) {
    EXPECT_DOUBLE_EQ(ring[i].lon, expected[i].first) << i;
    EXPECT_DOUBLE_EQ(ring[i].lat, expected[i].second) << i;
  }
  const TopoFeature& multi = (*features)[1];
  EXPECT_EQ(multi.id, "8");
  ASSERT_EQ(multi.polygons.size(), 2u);
  const auto& reversed = multi.polygons[0].rings.at(0);
  ASSERT_EQ(reversed.size(), 5u);
  for (std::size_t i = 0; i < reversed.size(); ++i) {
    EXPECT_DOUBLE_EQ(reversed[i].lon, expected[expected.size() - 1 - i].first) << i;
    EXPECT_DOUBLE_EQ(reversed[i].lat, expected[expected.size() - 1 - i].second) << i;
  }
}

TEST(TopoJson, RefusesWhatIsNotATopology) {
  EXPECT_FALSE(DecodeTopoJson("not json", "x").ok());
  EXPECT_FALSE(DecodeTopoJson(R"({"type":"FeatureCollection"})", "x").ok());
  EXPECT_FALSE(DecodeTopoJson(R"({"type":"Topology","arcs":[],"objects":{}})", "x").ok());
  EXPECT_FALSE(DecodeTopoJson(R"({"type":"Topology","arcs":[[[0,0],[1,1]]],"objects":{"x":
    {"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[5]]}]}}})",
                              "x")
                   .ok());
}

TEST(TopoJson, DecodesWorldAtlas) {
  REQUIRE_MAP_DATA();
  std::ifstream in(std::string(kDataDir) + "/countries-110m.json", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto features = DecodeTopoJson(text, "countries");
  ASSERT_TRUE(features.ok()) << features.error().internal_message();
  EXPECT_GT(features->size(), 150u);
  bool italy = false;
  for (const auto& f : *features) {
    if (f.name != "Italy") continue;
    italy = true;
    for (const auto& p : f.polygons) {
      for (const auto& ll : p.rings[0]) {
        EXPECT_TRUE(ll.lon > 6 && ll.lon < 19 && ll.lat > 36 && ll.lat < 48) << ll.lon << "," << ll.lat;
      }
    }
  }
  EXPECT_TRUE(italy);
}

TEST(MapStyles, HashesNamesStably) {
  EXPECT_EQ(StableIndex("Italy", 10), StableIndex("Italy", 10));
  EXPECT_LT(StableIndex("France", 7), 7u);
  EXPECT_EQ(StableIndex("x", 0), 0u);
}

}  // namespace
}  // namespace atrium::engines::media
