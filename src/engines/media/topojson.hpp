#pragma once
// TopoJSON decoding (the format of Natural Earth's world-atlas package): a topology's
// shared arcs, quantized and delta-encoded when the topology has a transform, stitched
// into the rings of one GeometryCollection's Polygon and MultiPolygon geometries (an arc
// index ~i is arc i reversed). Other geometry types are skipped.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace atrium::engines::media {

struct LonLat {
  double lon = 0;
  double lat = 0;
};

// The first ring is the outer boundary, the others are holes.
struct TopoPolygon {
  std::vector<std::vector<LonLat>> rings;
};

struct TopoFeature {
  std::string id;    // the geometry's "id" (a string or a number), empty without one
  std::string name;  // properties.name, empty without one
  std::vector<TopoPolygon> polygons;
};

// The features of `object` (a GeometryCollection under the topology's "objects").
// kInvalidArgument when `json` is not such a topology or an arc index is out of range.
core::Result<std::vector<TopoFeature>> DecodeTopoJson(std::string_view json, std::string_view object);

}  // namespace atrium::engines::media
