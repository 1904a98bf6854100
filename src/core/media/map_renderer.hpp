#pragma once
// Static geographic maps drawn from vector data (an engine on Cairo and Pango). Blocking,
// thread-safe. Errors: kInvalidArgument + Reason::kInvalidMapRequest for values out of
// range; kResourceExhausted + Reason::kRenderTooLarge past the limits; kUnavailable +
// Reason::kRendererUnavailable without map data.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/media/rendered_image.hpp"
#include "core/result.hpp"

namespace atrium::core::media {

struct GeoPoint {
  double latitude = 0;   // -90..90
  double longitude = 0;  // -180..180
};

struct MapMarker {
  GeoPoint at;
  std::string label;
  std::string color = "#E74C3C";  // #rgb or #rrggbb
};

struct MapRoute {
  std::vector<GeoPoint> points;  // at least 2
  std::string label;
  std::string color = "#3498DB";
  double width = 2.0;  // pixels
};

struct MapRegion {
  std::vector<GeoPoint> points;  // at least 3, closed implicitly
  std::string label;
  std::string fill_color = "#FF0000";
  double fill_opacity = 0.3;  // 0..1
};

struct MapStyle {
  std::string id;  // "standard", "historical", "physical", "satellite", "minimal", "educational"
  std::string name;
  std::string description;
};

struct MapRequest {
  std::string title;
  GeoPoint center;
  double zoom = 4;  // 0..18, web-mercator zoom (256 px for the world at 0)
  std::string style = "standard";
  int width = 800;
  int height = 600;
  ImageFormat format = ImageFormat::kPng;
  std::vector<MapMarker> markers;
  std::vector<MapRoute> routes;
  std::vector<MapRegion> regions;
};

// The bounds every map renderer enforces (MediaService checks them first too).
struct MapLimits {
  int max_width = 4096;
  int max_height = 4096;
  std::size_t max_markers = 1000;
  std::size_t max_routes = 200;
  std::size_t max_regions = 200;
  std::size_t max_points = 20000;  // over all routes and regions
};

class MapRenderer {
 public:
  virtual ~MapRenderer() = default;
  virtual bool available() const = 0;
  virtual std::string name() const = 0;
  virtual std::vector<MapStyle> Styles() const = 0;
  virtual Result<RenderedImage> Render(const MapRequest& request) = 0;
};

}  // namespace atrium::core::media
