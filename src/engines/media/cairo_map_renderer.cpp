#include "engines/media/cairo_map_renderer.hpp"

#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>

#include "engines/media/topojson.hpp"

namespace atrium::engines::media {

namespace {

using core::Error;
using core::ErrorCode;
using core::Reason;
using core::media::GeoPoint;
using core::media::ImageFormat;
using core::media::MapLimits;
using core::media::MapRequest;
using core::media::RenderedImage;

constexpr double kPi = 3.14159265358979323846;
constexpr double kMaxLatitude = 85.0511287798066;  // Web Mercator's square world
constexpr double kMaxZoom = 18;
constexpr std::size_t kMaxLabelBytes = 200;
constexpr double kMaxRouteWidth = 64;
constexpr double kMarkerRadius = 6;

// ---------------------------------------------------------------------------------------
// Geometry in world units: x and y in 0..1 across the Web Mercator square, y down.

struct Pt {
  double x = 0, y = 0;
};

struct Box {
  double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
  void Add(Pt p) {
    x0 = std::min(x0, p.x);
    y0 = std::min(y0, p.y);
    x1 = std::max(x1, p.x);
    y1 = std::max(y1, p.y);
  }
  void Add(const Box& b) {
    x0 = std::min(x0, b.x0);
    y0 = std::min(y0, b.y0);
    x1 = std::max(x1, b.x1);
    y1 = std::max(y1, b.y1);
  }
  bool Intersects(const Box& b) const { return x0 <= b.x1 && b.x0 <= x1 && y0 <= b.y1 && b.y0 <= y1; }
  bool Inside(const Box& b) const { return x0 >= b.x0 && x1 <= b.x1 && y0 >= b.y0 && y1 <= b.y1; }
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
};

Pt Project(double lon, double lat) {
  const double clamped = std::clamp(lat, -kMaxLatitude, kMaxLatitude);
  const double s = std::sin(clamped * kPi / 180);
  return {(lon + 180) / 360, 0.5 - std::log((1 + s) / (1 - s)) / (4 * kPi)};
}

double RingArea(const std::vector<Pt>& ring) {
  double a = 0;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    a += ring[j].x * ring[i].y - ring[i].x * ring[j].y;
  }
  return std::abs(a) / 2;
}

struct Polygon {
  std::vector<std::vector<Pt>> rings;  // outer first, then holes
  Box box;
  double area = 0;  // of the outer ring, world units squared
};

struct Feature {
  std::string name;
  std::vector<Polygon> polygons;
  Box box;
  std::size_t largest = 0;  // the polygon a label goes on
};

// world-atlas 2 keeps spherical rings: a ring across the antimeridian jumps from 180° to
// -180° and back, and a ring around a pole (Antarctica) jumps once. On the plane each
// point after the first takes the longitude nearest the one before (past ±180° where a
// shape crosses; the copies of the world draw the rest), and a ring around a pole is
// closed along that pole.
std::vector<LonLat> Planar(const std::vector<LonLat>& ring) {
  std::vector<LonLat> out;
  out.reserve(ring.size() + 2);
  for (const LonLat& p : ring) {
    LonLat q = p;
    if (!out.empty()) q.lon += 360 * std::round((out.back().lon - q.lon) / 360);
    out.push_back(q);
  }
  if (out.size() >= 3 && std::abs(out.back().lon - out.front().lon) > 180) {
    double mean_lat = 0;
    for (const LonLat& p : out) mean_lat += p.lat / static_cast<double>(out.size());
    const double pole = mean_lat < 0 ? -90 : 90;
    const double end = out.back().lon, start = out.front().lon;
    out.push_back({end, pole});
    out.push_back({start, pole});
  }
  return out;
}

std::vector<Feature> Projected(std::vector<TopoFeature> topo) {
  std::vector<Feature> out;
  out.reserve(topo.size());
  for (TopoFeature& t : topo) {
    Feature f;
    f.name = std::move(t.name);
    for (const TopoPolygon& tp : t.polygons) {
      Polygon p;
      for (const auto& ring : tp.rings) {
        std::vector<Pt> projected;
        projected.reserve(ring.size());
        for (const LonLat& ll : Planar(ring)) projected.push_back(Project(ll.lon, ll.lat));
        if (p.rings.empty()) {
          for (const Pt& q : projected) p.box.Add(q);
          p.area = RingArea(projected);
        }
        p.rings.push_back(std::move(projected));
      }
      f.box.Add(p.box);
      if (f.polygons.empty() || p.area > f.polygons[f.largest].area) f.largest = f.polygons.size();
      f.polygons.push_back(std::move(p));
    }
    if (!f.polygons.empty()) out.push_back(std::move(f));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Cairo and Pango handles.

struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};
template <class T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;
struct FontDescriptionFree {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using FontDescription = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;
struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;
struct CairoDestroy {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using Cairo = std::unique_ptr<cairo_t, CairoDestroy>;
struct FontOptionsDestroy {
  void operator()(cairo_font_options_t* o) const { cairo_font_options_destroy(o); }
};

cairo_status_t AppendBytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void SetColor(cairo_t* cr, const Rgba& c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

// ---------------------------------------------------------------------------------------
// Validation.

Error Invalid(const std::string& field, const std::string& why) {
  return Error(ErrorCode::kInvalidArgument, field + ": " + why).WithReason(Reason::kInvalidMapRequest);
}

Error TooLarge(const std::string& what) {
  return Error(ErrorCode::kResourceExhausted, "The map is too large: " + what).WithReason(Reason::kRenderTooLarge);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Rgba> ParseColor(std::string_view s) {
  if ((s.size() != 4 && s.size() != 7) || s[0] != '#') return std::nullopt;
  int v[6] = {};
  for (std::size_t i = 1; i < s.size(); ++i) {
    v[i - 1] = HexDigit(s[i]);
    if (v[i - 1] < 0) return std::nullopt;
  }
  if (s.size() == 4) {
    return Rgba{v[0] * 17 / 255.0, v[1] * 17 / 255.0, v[2] * 17 / 255.0, 1};
  }
  return Rgba{(v[0] * 16 + v[1]) / 255.0, (v[2] * 16 + v[3]) / 255.0, (v[4] * 16 + v[5]) / 255.0, 1};
}

bool InRange(double v, double lo, double hi) { return v >= lo && v <= hi; }  // false for NaN

std::optional<Error> CheckPoint(const GeoPoint& p, const std::string& field) {
  if (!InRange(p.latitude, -90, 90)) return Invalid(field + ".latitude", "must be between -90 and 90");
  if (!InRange(p.longitude, -180, 180)) return Invalid(field + ".longitude", "must be between -180 and 180");
  return std::nullopt;
}

std::optional<Error> CheckLabel(const std::string& label, const std::string& field) {
  if (label.size() > kMaxLabelBytes) {
    return Invalid(field, "is longer than " + std::to_string(kMaxLabelBytes) + " bytes");
  }
  if (!g_utf8_validate(label.data(), static_cast<gssize>(label.size()), nullptr)) {
    return Invalid(field, "is not UTF-8 text");
  }
  return std::nullopt;
}

std::optional<Error> CheckColor(const std::string& color, const std::string& field) {
  if (!ParseColor(color)) return Invalid(field, "must be a colour like #rgb or #rrggbb");
  return std::nullopt;
}

// The counts first, so an oversized request is refused before any of its values is read.
core::Result<const MapTheme*> Validate(const MapRequest& r, const MapLimits& limits,
                                       const std::vector<MapTheme>& themes) {
  if (r.markers.size() > limits.max_markers) {
    return TooLarge(std::to_string(r.markers.size()) + " markers (at most " + std::to_string(limits.max_markers) + ")");
  }
  if (r.routes.size() > limits.max_routes) {
    return TooLarge(std::to_string(r.routes.size()) + " routes (at most " + std::to_string(limits.max_routes) + ")");
  }
  if (r.regions.size() > limits.max_regions) {
    return TooLarge(std::to_string(r.regions.size()) + " regions (at most " + std::to_string(limits.max_regions) + ")");
  }
  std::size_t points = 0;
  for (const auto& route : r.routes) points += route.points.size();
  for (const auto& region : r.regions) points += region.points.size();
  if (points > limits.max_points) {
    return TooLarge(std::to_string(points) + " route and region points (at most " + std::to_string(limits.max_points) +
                    ")");
  }
  if (r.width < 1) return Invalid("width", "must be at least 1");
  if (r.height < 1) return Invalid("height", "must be at least 1");
  if (r.width > limits.max_width)
    return TooLarge("width " + std::to_string(r.width) + " (at most " + std::to_string(limits.max_width) + ")");
  if (r.height > limits.max_height)
    return TooLarge("height " + std::to_string(r.height) + " (at most " + std::to_string(limits.max_height) + ")");
  if (!InRange(r.zoom, 0, kMaxZoom)) return Invalid("zoom", "must be between 0 and 18");
  if (auto e = CheckPoint(r.center, "center")) return *e;
  const MapTheme* theme = nullptr;
  for (const MapTheme& t : themes) {
    if (t.style.id == r.style) theme = &t;
  }
  if (theme == nullptr)
    return Invalid("style", "no such style (standard, historical, physical, satellite, minimal, educational)");
  if (auto e = CheckLabel(r.title, "title")) return *e;
  for (std::size_t i = 0; i < r.markers.size(); ++i) {
    const auto& m = r.markers[i];
    const std::string field = "markers[" + std::to_string(i) + "]";
    if (auto e = CheckPoint(m.at, field)) return *e;
    if (auto e = CheckLabel(m.label, field + ".label")) return *e;
    if (auto e = CheckColor(m.color, field + ".color")) return *e;
  }
  for (std::size_t i = 0; i < r.routes.size(); ++i) {
    const auto& route = r.routes[i];
    const std::string field = "routes[" + std::to_string(i) + "]";
    if (route.points.size() < 2) return Invalid(field + ".points", "a route needs at least 2 points");
    for (std::size_t k = 0; k < route.points.size(); ++k) {
      if (auto e = CheckPoint(route.points[k], field + ".points[" + std::to_string(k) + "]")) return *e;
    }
    if (auto e = CheckLabel(route.label, field + ".label")) return *e;
    if (auto e = CheckColor(route.color, field + ".color")) return *e;
    if (!(route.width > 0 && route.width <= kMaxRouteWidth)) {
      return Invalid(field + ".width", "must be more than 0 and at most 64");
    }
  }
  for (std::size_t i = 0; i < r.regions.size(); ++i) {
    const auto& region = r.regions[i];
    const std::string field = "regions[" + std::to_string(i) + "]";
    if (region.points.size() < 3) return Invalid(field + ".points", "a region needs at least 3 points");
    for (std::size_t k = 0; k < region.points.size(); ++k) {
      if (auto e = CheckPoint(region.points[k], field + ".points[" + std::to_string(k) + "]")) return *e;
    }
    if (auto e = CheckLabel(region.label, field + ".label")) return *e;
    if (auto e = CheckColor(region.fill_color, field + ".fillColor")) return *e;
    if (!InRange(region.fill_opacity, 0, 1)) return Invalid(field + ".fillOpacity", "must be between 0 and 1");
  }
  return theme;
}

// ---------------------------------------------------------------------------------------
// The view: world units to the image's pixels, for one copy of the world (shift).

struct View {
  double world = 256;     // pixels across the world
  double cx = 0, cy = 0;  // the centre, world pixels
  double width = 0, height = 0;
  double zoom = 0;

  double X(double wx, double shift) const { return wx * world + shift - cx + width / 2; }
  double Y(double wy) const { return wy * world - cy + height / 2; }
  Box Screen(const Box& b, double shift) const { return {X(b.x0, shift), Y(b.y0), X(b.x1, shift), Y(b.y1)}; }
  // The shifts (multiples of the world's width) of every copy of the world in view.
  std::vector<double> Shifts() const {
    const double left = cx - width / 2, right = cx + width / 2;
    std::vector<double> out;
    // One more on each side: shapes across the antimeridian reach past their copy.
    for (double k = std::floor(left / world) - 1; k <= std::floor(right / world) + 1; ++k) out.push_back(-k * world);
    return out;
  }
};

// Sutherland–Hodgman: the ring clipped to `clip` (fills only: the new edges run along
// the clip rectangle, outside the image).
std::vector<Pt> ClipRing(std::vector<Pt> ring, const Box& clip) {
  auto pass = [&ring](auto inside, auto cut) {
    std::vector<Pt> out;
    out.reserve(ring.size() + 4);
    for (std::size_t i = 0; i < ring.size(); ++i) {
      const Pt& a = ring[(i + ring.size() - 1) % ring.size()];
      const Pt& b = ring[i];
      const bool ia = inside(a), ib = inside(b);
      if (ib) {
        if (!ia) out.push_back(cut(a, b));
        out.push_back(b);
      } else if (ia) {
        out.push_back(cut(a, b));
      }
    }
    ring = std::move(out);
  };
  auto at_x = [](double x) { return [x](Pt a, Pt b) { return Pt{x, a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)}; }; };
  auto at_y = [](double y) { return [y](Pt a, Pt b) { return Pt{a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y}; }; };
  pass([&](Pt p) { return p.x >= clip.x0; }, at_x(clip.x0));
  if (ring.empty()) return ring;
  pass([&](Pt p) { return p.x <= clip.x1; }, at_x(clip.x1));
  if (ring.empty()) return ring;
  pass([&](Pt p) { return p.y >= clip.y0; }, at_y(clip.y0));
  if (ring.empty()) return ring;
  pass([&](Pt p) { return p.y <= clip.y1; }, at_y(clip.y1));
  return ring;
}

// Liang–Barsky: the part of segment a-b inside `clip`, if any.
bool ClipSegment(Pt& a, Pt& b, const Box& clip) {
  double t0 = 0, t1 = 1;
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {a.x - clip.x0, clip.x1 - a.x, a.y - clip.y0, clip.y1 - a.y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0) {
      t0 = std::max(t0, t);
    } else {
      t1 = std::min(t1, t);
    }
    if (t0 > t1) return false;
  }
  const Pt start{a.x + t0 * dx, a.y + t0 * dy};
  const Pt end{a.x + t1 * dx, a.y + t1 * dy};
  a = start;
  b = end;
  return true;
}

// Adds a ring (screen pixels) to the fill path, clipped when it leaves the image.
void FillRing(cairo_t* cr, std::vector<Pt> ring, const Box& clip) {
  Box b;
  for (const Pt& p : ring) b.Add(p);
  if (!b.Intersects(clip)) return;
  if (!b.Inside(clip)) ring = ClipRing(std::move(ring), clip);
  if (ring.size() < 3) return;
  cairo_move_to(cr, ring[0].x, ring[0].y);
  Pt last = ring[0];
  for (std::size_t i = 1; i < ring.size(); ++i) {
    if (std::abs(ring[i].x - last.x) < 0.3 && std::abs(ring[i].y - last.y) < 0.3) continue;
    cairo_line_to(cr, ring[i].x, ring[i].y);
    last = ring[i];
  }
  cairo_close_path(cr);
}

// Adds a polyline (screen pixels) to the stroke path, segment by segment within `clip`.
// skip(i) leaves out the segment from point i-1 to point i.
template <class Skip>
void StrokeLine(cairo_t* cr, const std::vector<Pt>& line, bool closed, const Box& clip, Skip skip) {
  const std::size_t n = line.size();
  if (n < 2) return;
  bool open = false;  // the current sub-path ends at `last`
  Pt last;
  const std::size_t segments = closed ? n : n - 1;
  for (std::size_t s = 1; s <= segments; ++s) {
    const std::size_t i = s % n;
    if (skip(i)) {
      open = false;
      continue;
    }
    Pt a = line[s - 1], b = line[i];
    const Pt original_a = a;
    if (!ClipSegment(a, b, clip)) {
      open = false;
      continue;
    }
    const bool continues = open && a.x == original_a.x && a.y == original_a.y;
    if (continues && std::abs(b.x - last.x) < 0.3 && std::abs(b.y - last.y) < 0.3 && s != segments) continue;
    if (!continues) cairo_move_to(cr, a.x, a.y);
    cairo_line_to(cr, b.x, b.y);
    last = b;
    // A segment cut short at the clip's edge ends the sub-path.
    open = b.x == line[i].x && b.y == line[i].y;
  }
}

// A segment along the world's edge (the antimeridian, on either side, and the poles):
// where the data cuts shapes, not a border.
bool OnWorldEdge(Pt a, Pt b) {
  constexpr double e = 1e-9;
  auto on_meridian = [](double x) { return std::abs(x - std::round(x)) < e; };
  auto on_pole = [](double y) { return std::abs(y) < e || std::abs(y - 1) < e; };
  return (on_meridian(a.x) && on_meridian(b.x) && std::round(a.x) == std::round(b.x)) ||
         (on_pole(a.y) && on_pole(b.y) && std::abs(a.y - b.y) < e);
}

std::vector<Pt> ToScreen(const std::vector<Pt>& ring, const View& v, double shift) {
  std::vector<Pt> out;
  out.reserve(ring.size());
  for (const Pt& p : ring) out.push_back({v.X(p.x, shift), v.Y(p.y)});
  return out;
}

// ---------------------------------------------------------------------------------------
// Text.

std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

FontDescription Font(const std::string& family, double size, PangoWeight weight) {
  FontDescription d(pango_font_description_new());
  pango_font_description_set_family(d.get(), family.c_str());
  pango_font_description_set_size(d.get(), static_cast<int>(size * PANGO_SCALE));
  pango_font_description_set_weight(d.get(), weight);
  return d;
}

struct Label {
  GObjectPtr<PangoLayout> layout;
  double w = 0, h = 0;  // pixels
  double x = 0, y = 0;  // top left
  Box rect() const { return {x, y, x + w, y + h}; }
};

Label MakeLabel(PangoContext* context, const std::string& text, const PangoFontDescription* font) {
  Label l;
  l.layout.reset(pango_layout_new(context));
  pango_layout_set_font_description(l.layout.get(), font);
  const std::string line = OneLine(text);
  pango_layout_set_text(l.layout.get(), line.data(), static_cast<int>(line.size()));  // never markup
  PangoRectangle logical;
  pango_layout_get_pixel_extents(l.layout.get(), nullptr, &logical);
  l.w = logical.width;
  l.h = logical.height;
  return l;
}

void DrawLabel(cairo_t* cr, const Label& l, const Rgba& text, const Rgba& halo, double halo_width) {
  cairo_save(cr);
  cairo_move_to(cr, l.x, l.y);
  pango_cairo_layout_path(cr, l.layout.get());
  SetColor(cr, halo);
  cairo_set_line_width(cr, halo_width);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke(cr);
  SetColor(cr, text);
  cairo_move_to(cr, l.x, l.y);
  pango_cairo_show_layout(cr, l.layout.get());
  cairo_restore(cr);
}

bool Overlaps(const Box& r, const std::vector<Box>& placed) {
  return std::any_of(placed.begin(), placed.end(), [&r](const Box& p) { return r.Intersects(p); });
}

// Moves `label` to the first of `candidates` (top left corners) that overlaps nothing
// placed and stays in the image, or the first candidate; then places it.
void Place(Label& label, const std::vector<Pt>& candidates, std::vector<Box>& placed, const View& v) {
  const Box image{0, 0, v.width, v.height};
  for (const Pt& c : candidates) {
    label.x = c.x;
    label.y = c.y;
    if (!Overlaps(label.rect(), placed) && label.rect().Inside(image)) {
      placed.push_back(label.rect());
      return;
    }
  }
  label.x = candidates.front().x;
  label.y = candidates.front().y;
  placed.push_back(label.rect());
}

// ---------------------------------------------------------------------------------------
// Overlays: markers, routes and regions in screen pixels, each on the copy of the world
// nearest the centre, each point after the first on the side nearest the one before it
// (a route across the antimeridian takes the short way).

std::vector<Pt> OverlayPoints(const std::vector<GeoPoint>& points, const View& v) {
  std::vector<Pt> out;
  out.reserve(points.size());
  for (const GeoPoint& g : points) {
    const Pt w = Project(g.longitude, g.latitude);
    double x = w.x * v.world;
    const double target = out.empty() ? v.cx : out.back().x + v.cx - v.width / 2;
    x += std::round((target - x) / v.world) * v.world;
    out.push_back({x - v.cx + v.width / 2, v.Y(w.y)});
  }
  return out;
}

Pt Centroid(const std::vector<Pt>& ring) {
  double a = 0, cx = 0, cy = 0;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const double f = ring[j].x * ring[i].y - ring[i].x * ring[j].y;
    a += f;
    cx += (ring[j].x + ring[i].x) * f;
    cy += (ring[j].y + ring[i].y) * f;
  }
  if (std::abs(a) < 1e-9) {
    Pt m;
    for (const Pt& p : ring) {
      m.x += p.x / static_cast<double>(ring.size());
      m.y += p.y / static_cast<double>(ring.size());
    }
    return m;
  }
  return {cx / (3 * a), cy / (3 * a)};
}

Pt Halfway(const std::vector<Pt>& line) {
  double total = 0;
  for (std::size_t i = 1; i < line.size(); ++i)
    total += std::hypot(line[i].x - line[i - 1].x, line[i].y - line[i - 1].y);
  double left = total / 2;
  for (std::size_t i = 1; i < line.size(); ++i) {
    const double d = std::hypot(line[i].x - line[i - 1].x, line[i].y - line[i - 1].y);
    if (d >= left && d > 0) {
      const double t = left / d;
      return {line[i - 1].x + (line[i].x - line[i - 1].x) * t, line[i - 1].y + (line[i].y - line[i - 1].y) * t};
    }
    left -= d;
  }
  return line.back();
}

std::vector<Pt> Around(Pt centre, const Label& l) {
  const double x = centre.x - l.w / 2, y = centre.y - l.h / 2;
  return {{x, y}, {x, y + l.h}, {x, y - l.h}, {x + l.w / 2 + 4, y}, {x - l.w / 2 - 4, y}};
}

}  // namespace

// ---------------------------------------------------------------------------------------

struct CairoMapRenderer::Atlas {
  std::vector<Feature> countries110;
  std::vector<Feature> countries50;
  std::vector<Feature> land50;
};

// Pango's font maps cache fonts without locks: each is used by one render at a time.
// Maps are made on demand and kept for the next render.
class CairoMapRenderer::FontMapPool {
 public:
  ~FontMapPool() {
    for (PangoFontMap* m : free_) g_object_unref(m);
  }
  struct Giver {
    FontMapPool* pool;
    void operator()(PangoFontMap* m) const { pool->Give(m); }
  };
  using Lease = std::unique_ptr<PangoFontMap, Giver>;

  Lease Take() {
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        PangoFontMap* m = free_.back();
        free_.pop_back();
        return Lease(m, Giver{this});
      }
    }
    return Lease(pango_cairo_font_map_new(), Giver{this});
  }

 private:
  void Give(PangoFontMap* m) {
    std::lock_guard lock(mu_);
    free_.push_back(m);
  }
  std::mutex mu_;
  std::vector<PangoFontMap*> free_;
};

namespace {

constexpr const char* kFiles[] = {"countries-110m.json", "countries-50m.json", "land-50m.json"};

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(s).str();
}

// Everything drawn for one request, on one cairo context.
class Painter {
 public:
  Painter(cairo_t* cr, PangoContext* context, const MapRequest& request, const MapTheme& theme,
          const std::vector<Feature>& countries, const std::vector<Feature>* land)
      : cr_(cr), context_(context), request_(request), theme_(theme), countries_(countries), land_(land) {
    view_.zoom = request.zoom;
    view_.world = 256 * std::pow(2.0, request.zoom);
    const Pt c = Project(request.center.longitude, request.center.latitude);
    view_.cx = c.x * view_.world;
    view_.cy = c.y * view_.world;
    view_.width = request.width;
    view_.height = request.height;
    const double m = 4 + 2 * std::max(theme.border_width, theme.coast_width);
    clip_ = {-m, -m, view_.width + m, view_.height + m};
    shifts_ = view_.Shifts();
  }

  void Paint() {
    SetColor(cr_, theme_.sea);
    cairo_paint(cr_);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr_, CAIRO_LINE_CAP_ROUND);
    if (land_ != nullptr) {
      SetColor(cr_, theme_.land);
      Fill(*land_, false);
    }
    Fill(countries_, true);
    SetColor(cr_, theme_.border);
    cairo_set_line_width(cr_, theme_.border_width);
    Stroke(countries_);
    if (land_ != nullptr) {
      SetColor(cr_, theme_.coast);
      cairo_set_line_width(cr_, theme_.coast_width);
      Stroke(*land_);
    }
    if (theme_.graticule) Graticule();
    PrepareOverlayLabels();
    if (theme_.country_labels) CountryLabels();
    Regions();
    Routes();
    Markers();
    Title();
  }

 private:
  bool InView(const Box& world_box, double shift) const { return view_.Screen(world_box, shift).Intersects(clip_); }

  void Fill(const std::vector<Feature>& features, bool per_country) {
    cairo_set_fill_rule(cr_, CAIRO_FILL_RULE_EVEN_ODD);
    for (const double shift : shifts_) {
      for (const Feature& f : features) {
        if (!InView(f.box, shift)) continue;
        if (per_country) {
          SetColor(cr_,
                   theme_.palette.empty() ? theme_.land : theme_.palette[StableIndex(f.name, theme_.palette.size())]);
        }
        for (const Polygon& p : f.polygons) {
          if (!InView(p.box, shift)) continue;
          for (const auto& ring : p.rings) FillRing(cr_, ToScreen(ring, view_, shift), clip_);
          if (per_country) cairo_fill(cr_);
        }
        if (!per_country) cairo_fill(cr_);
      }
    }
  }

  void Stroke(const std::vector<Feature>& features) {
    for (const double shift : shifts_) {
      for (const Feature& f : features) {
        if (!InView(f.box, shift)) continue;
        for (const Polygon& p : f.polygons) {
          if (!InView(p.box, shift)) continue;
          for (const auto& ring : p.rings) {
            const auto screen = ToScreen(ring, view_, shift);
            StrokeLine(cr_, screen, true, clip_, [&ring](std::size_t i) {
              return OnWorldEdge(ring[(i + ring.size() - 1) % ring.size()], ring[i]);
            });
          }
        }
        cairo_stroke(cr_);
      }
    }
  }

  // Lines every 10° below zoom 4, 5° below zoom 6, 1° from there.
  void Graticule() {
    const double step = view_.zoom < 4 ? 10 : view_.zoom < 6 ? 5 : 1;
    SetColor(cr_, theme_.graticule_color);
    cairo_set_line_width(cr_, theme_.graticule_width);
    const double top = std::max(clip_.y0, view_.Y(0)), bottom = std::min(clip_.y1, view_.Y(1));
    if (top >= bottom) return;
    // Meridians: longitudes of the visible range (copies of the world included).
    const double lon_left = (view_.cx - view_.width / 2) / view_.world * 360 - 180;
    const double lon_right = (view_.cx + view_.width / 2) / view_.world * 360 - 180;
    for (double lon = std::ceil(lon_left / step) * step; lon <= lon_right; lon += step) {
      const double x = ((lon + 180) / 360) * view_.world - view_.cx + view_.width / 2;
      cairo_move_to(cr_, x, top);
      cairo_line_to(cr_, x, bottom);
    }
    for (double lat = -80; lat <= 80; lat += step) {
      const double y = view_.Y(Project(0, lat).y);
      if (y < clip_.y0 || y > clip_.y1) continue;
      cairo_move_to(cr_, clip_.x0, y);
      cairo_line_to(cr_, clip_.x1, y);
    }
    cairo_stroke(cr_);
  }

  // Markers, routes and regions keep their labels: their places are taken before the
  // countries' names are placed around them.
  void PrepareOverlayLabels() {
    const auto font = Font(theme_.font_family, theme_.label_size + 1, PANGO_WEIGHT_BOLD);
    for (const auto& m : request_.markers) {
      const Pt p = OverlayPoints({m.at}, view_).front();
      marker_points_.push_back(p);
      placed_.push_back(
          {p.x - kMarkerRadius - 1, p.y - kMarkerRadius - 1, p.x + kMarkerRadius + 1, p.y + kMarkerRadius + 1});
    }
    if (!request_.title.empty()) {
      const auto title_font = Font(theme_.font_family, theme_.title_size, PANGO_WEIGHT_BOLD);
      title_ = MakeLabel(context_, request_.title, title_font.get());
      title_->x = (view_.width - title_->w) / 2;
      title_->y = 6;
      placed_.push_back({0, 0, view_.width, title_->h + 12});
    }
    for (std::size_t i = 0; i < request_.markers.size(); ++i) {
      const auto& m = request_.markers[i];
      if (m.label.empty()) {
        marker_labels_.emplace_back();
        continue;
      }
      Label l = MakeLabel(context_, m.label, font.get());
      const Pt p = marker_points_[i];
      const double gap = kMarkerRadius + 4;
      Place(l,
            {{p.x + gap, p.y - l.h / 2},
             {p.x - gap - l.w, p.y - l.h / 2},
             {p.x - l.w / 2, p.y - gap - l.h},
             {p.x - l.w / 2, p.y + gap}},
            placed_, view_);
      marker_labels_.push_back(std::move(l));
    }
    for (const auto& route : request_.routes) {
      route_points_.push_back(OverlayPoints(route.points, view_));
      if (route.label.empty()) {
        route_labels_.emplace_back();
        continue;
      }
      Label l = MakeLabel(context_, route.label, font.get());
      const Pt mid = Halfway(route_points_.back());
      Place(l, Around({mid.x, mid.y - l.h / 2 - 3}, l), placed_, view_);
      route_labels_.push_back(std::move(l));
    }
    for (const auto& region : request_.regions) {
      region_points_.push_back(OverlayPoints(region.points, view_));
      if (region.label.empty()) {
        region_labels_.emplace_back();
        continue;
      }
      Label l = MakeLabel(context_, region.label, font.get());
      Place(l, Around(Centroid(region_points_.back()), l), placed_, view_);
      region_labels_.push_back(std::move(l));
    }
  }

  // The countries whose largest part is large enough on screen, largest first, at the
  // centre of that part's box, where no other label is.
  void CountryLabels() {
    const auto font = Font(theme_.font_family, theme_.label_size, PANGO_WEIGHT_NORMAL);
    std::vector<const Feature*> order;
    for (const Feature& f : countries_) {
      if (!f.name.empty()) order.push_back(&f);
    }
    std::sort(order.begin(), order.end(), [](const Feature* a, const Feature* b) {
      return a->polygons[a->largest].area > b->polygons[b->largest].area;
    });
    const Box image{2, 2, view_.width - 2, view_.height - 2};
    for (const double shift : shifts_) {
      for (const Feature* f : order) {
        const Box part = view_.Screen(f->polygons[f->largest].box, shift);
        if (part.width() < 36 || part.height() < 12 || !part.Intersects(image)) continue;
        Label l = MakeLabel(context_, f->name, font.get());
        if (l.w > part.width() * 1.3) continue;
        l.x = (part.x0 + part.x1) / 2 - l.w / 2;
        l.y = (part.y0 + part.y1) / 2 - l.h / 2;
        if (!l.rect().Inside(image) || Overlaps(l.rect(), placed_)) continue;
        placed_.push_back(l.rect());
        DrawLabel(cr_, l, theme_.label_text, theme_.label_halo, 2.5);
      }
    }
  }

  void Regions() {
    cairo_set_fill_rule(cr_, CAIRO_FILL_RULE_WINDING);
    for (std::size_t i = 0; i < request_.regions.size(); ++i) {
      const auto& region = request_.regions[i];
      const Rgba c = *ParseColor(region.fill_color);
      FillRing(cr_, region_points_[i], clip_);
      cairo_set_source_rgba(cr_, c.r, c.g, c.b, region.fill_opacity);
      cairo_fill(cr_);
      StrokeLine(cr_, region_points_[i], true, clip_, [](std::size_t) { return false; });
      SetColor(cr_, c);
      cairo_set_line_width(cr_, 1.5);
      cairo_stroke(cr_);
    }
    for (const Label& l : region_labels_) OverlayLabel(l);
  }

  void Routes() {
    for (std::size_t i = 0; i < request_.routes.size(); ++i) {
      const auto& route = request_.routes[i];
      StrokeLine(cr_, route_points_[i], false, clip_, [](std::size_t) { return false; });
      SetColor(cr_, *ParseColor(route.color));
      cairo_set_line_width(cr_, route.width);
      cairo_stroke(cr_);
    }
    for (const Label& l : route_labels_) OverlayLabel(l);
  }

  void Markers() {
    for (std::size_t i = 0; i < request_.markers.size(); ++i) {
      const Pt p = marker_points_[i];
      if (p.x < -20 || p.y < -20 || p.x > view_.width + 20 || p.y > view_.height + 20) continue;
      cairo_new_sub_path(cr_);
      cairo_arc(cr_, p.x, p.y, kMarkerRadius, 0, 2 * kPi);
      SetColor(cr_, *ParseColor(request_.markers[i].color));
      cairo_fill_preserve(cr_);
      cairo_set_source_rgb(cr_, 1, 1, 1);
      cairo_set_line_width(cr_, 2);
      cairo_stroke(cr_);
    }
    for (const Label& l : marker_labels_) OverlayLabel(l);
  }

  // Labels far outside the image are not drawn (Cairo's coordinates are bounded).
  void OverlayLabel(const Label& l) {
    const Box near{-100, -100, view_.width + 100, view_.height + 100};
    if (l.layout && l.rect().Intersects(near)) DrawLabel(cr_, l, theme_.overlay_text, theme_.overlay_halo, 3);
  }

  void Title() {
    if (!title_) return;
    SetColor(cr_, theme_.title_band);
    cairo_rectangle(cr_, 0, 0, view_.width, title_->h + 12);
    cairo_fill(cr_);
    SetColor(cr_, theme_.title_text);
    cairo_move_to(cr_, title_->x, title_->y);
    pango_cairo_show_layout(cr_, title_->layout.get());
  }

  cairo_t* cr_;
  PangoContext* context_;
  const MapRequest& request_;
  const MapTheme& theme_;
  const std::vector<Feature>& countries_;
  const std::vector<Feature>* land_;
  View view_;
  Box clip_;
  std::vector<double> shifts_;
  std::vector<Box> placed_;
  std::vector<Pt> marker_points_;
  std::vector<std::vector<Pt>> route_points_, region_points_;
  std::vector<Label> marker_labels_, route_labels_, region_labels_;
  std::optional<Label> title_;
};

Error DrawingFailed(cairo_status_t s) {
  return Error(ErrorCode::kInternal, "The map could not be drawn", std::string("cairo: ") + cairo_status_to_string(s))
      .WithReason(Reason::kRendererUnavailable);
}

}  // namespace

CairoMapRenderer::CairoMapRenderer(std::string data_dir, MapLimits limits)
    : data_dir_(std::move(data_dir)),
      limits_(limits),
      themes_(MapThemes()),
      font_maps_(std::make_unique<FontMapPool>()) {}

CairoMapRenderer::~CairoMapRenderer() = default;

bool CairoMapRenderer::available() const {
  // Once loaded, the answer is whether the data decoded; before, whether it can be read.
  if (load_done_.load(std::memory_order_acquire)) return atlas_ != nullptr;
  for (const char* file : kFiles) {
    std::ifstream in(data_dir_ + "/" + file, std::ios::binary);
    if (!in || in.peek() == std::ifstream::traits_type::eof()) return false;
  }
  return true;
}

std::vector<core::media::MapStyle> CairoMapRenderer::Styles() const {
  std::vector<core::media::MapStyle> out;
  out.reserve(themes_.size());
  for (const MapTheme& t : themes_) out.push_back(t.style);
  return out;
}

const CairoMapRenderer::Atlas* CairoMapRenderer::LoadedAtlas() const {
  std::call_once(load_once_, [this] {
    auto atlas = std::make_unique<Atlas>();
    std::vector<Feature>* targets[] = {&atlas->countries110, &atlas->countries50, &atlas->land50};
    const char* objects[] = {"countries", "countries", "land"};
    for (std::size_t i = 0; i < std::size(kFiles); ++i) {
      const std::string path = data_dir_ + "/" + kFiles[i];
      const auto text = ReadFile(path);
      if (!text) {
        load_error_ = "map data: cannot read " + path;
        break;
      }
      auto features = DecodeTopoJson(*text, objects[i]);
      if (!features) {
        load_error_ = "map data: " + path + ": " + features.error().internal_message();
        break;
      }
      *targets[i] = Projected(std::move(*features));
    }
    if (load_error_.empty()) atlas_ = std::move(atlas);
    load_done_.store(true, std::memory_order_release);
  });
  return atlas_.get();
}

core::Result<RenderedImage> CairoMapRenderer::Render(const MapRequest& request) {
  auto theme = Validate(request, limits_, themes_);
  if (!theme) return theme.error();
  const Atlas* atlas = LoadedAtlas();
  if (atlas == nullptr) {
    return Error(ErrorCode::kUnavailable, "Maps are not available", load_error_)
        .WithReason(Reason::kRendererUnavailable);
  }
  std::call_once(fontconfig_once_, [this] { fontconfig_ready_ = FcInit() == FcTrue; });
  if (!fontconfig_ready_) {
    return Error(ErrorCode::kUnavailable, "Maps are not available", "fontconfig: FcInit failed")
        .WithReason(Reason::kRendererUnavailable);
  }

  const bool png = request.format == ImageFormat::kPng;
  std::string bytes;
  Surface surface(png ? cairo_image_surface_create(CAIRO_FORMAT_ARGB32, request.width, request.height)
                      : cairo_svg_surface_create_for_stream(AppendBytes, &bytes, request.width, request.height));
  if (const cairo_status_t s = cairo_surface_status(surface.get()); s != CAIRO_STATUS_SUCCESS) return DrawingFailed(s);
  if (!png) cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);

  const auto font_map = font_maps_->Take();
  {
    Cairo cr(cairo_create(surface.get()));
    GObjectPtr<PangoContext> context(pango_font_map_create_context(font_map.get()));
    pango_cairo_context_set_resolution(context.get(), 96.0);
    std::unique_ptr<cairo_font_options_t, FontOptionsDestroy> font_options(cairo_font_options_create());
    cairo_font_options_set_hint_metrics(font_options.get(), CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(context.get(), font_options.get());
    pango_cairo_update_context(cr.get(), context.get());

    const bool detailed = request.zoom >= 3;
    Painter painter(cr.get(), context.get(), request, **theme, detailed ? atlas->countries50 : atlas->countries110,
                    detailed ? &atlas->land50 : nullptr);
    painter.Paint();
    if (const cairo_status_t s = cairo_status(cr.get()); s != CAIRO_STATUS_SUCCESS) return DrawingFailed(s);
  }
  if (png) {
    cairo_surface_flush(surface.get());
    if (const cairo_status_t s = cairo_surface_write_to_png_stream(surface.get(), AppendBytes, &bytes);
        s != CAIRO_STATUS_SUCCESS) {
      return DrawingFailed(s);
    }
  } else {
    cairo_surface_finish(surface.get());
    if (const cairo_status_t s = cairo_surface_status(surface.get()); s != CAIRO_STATUS_SUCCESS)
      return DrawingFailed(s);
  }
  RenderedImage image;
  image.format = request.format;
  image.bytes = std::move(bytes);
  image.width = request.width;
  image.height = request.height;
  image.render_method = "cairo";
  return image;
}

}  // namespace atrium::engines::media
