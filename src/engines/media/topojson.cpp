#include "engines/media/topojson.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace atrium::engines::media {

namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

Error Bad(std::string why) {
  return Error(ErrorCode::kInvalidArgument, "The map data is not a TopoJSON topology", "topojson: " + std::move(why));
}

bool Number(const json::value& v, double& out) {
  if (v.is_double()) {
    out = v.get_double();
  } else if (v.is_int64()) {
    out = static_cast<double>(v.get_int64());
  } else if (v.is_uint64()) {
    out = static_cast<double>(v.get_uint64());
  } else {
    return false;
  }
  return true;
}

struct Transform {
  bool quantized = false;
  double sx = 1, sy = 1, tx = 0, ty = 0;
};

// Every arc as absolute longitudes and latitudes.
core::Result<std::vector<std::vector<LonLat>>> DecodeArcs(const json::array& arcs, const Transform& t) {
  std::vector<std::vector<LonLat>> out;
  out.reserve(arcs.size());
  for (const json::value& arc_value : arcs) {
    const json::array* arc = arc_value.if_array();
    if (arc == nullptr) return Bad("an arc is not an array");
    std::vector<LonLat> points;
    points.reserve(arc->size());
    double qx = 0, qy = 0;  // the running quantized position (delta encoding)
    for (const json::value& pv : *arc) {
      const json::array* p = pv.if_array();
      double x = 0, y = 0;
      if (p == nullptr || p->size() < 2 || !Number((*p)[0], x) || !Number((*p)[1], y)) {
        return Bad("an arc position is not two numbers");
      }
      if (t.quantized) {
        qx += x;
        qy += y;
        points.push_back({qx * t.sx + t.tx, qy * t.sy + t.ty});
      } else {
        points.push_back({x, y});
      }
    }
    out.push_back(std::move(points));
  }
  return out;
}

// A ring from its arc indexes: arc ~i (that is -i-1) is arc i backwards, and each arc
// after the first starts where the previous one ended (that point is not repeated).
core::Result<std::vector<LonLat>> Ring(const json::array& indexes, const std::vector<std::vector<LonLat>>& arcs) {
  std::vector<LonLat> ring;
  for (const json::value& iv : indexes) {
    std::int64_t i = 0;
    if (iv.is_int64()) {
      i = iv.get_int64();
    } else if (iv.is_uint64() && iv.get_uint64() < arcs.size()) {
      i = static_cast<std::int64_t>(iv.get_uint64());
    } else {
      return Bad("an arc index is not an integer");
    }
    const bool reversed = i < 0;
    const std::int64_t index = reversed ? ~i : i;
    if (index < 0 || static_cast<std::uint64_t>(index) >= arcs.size()) {
      return Bad("arc index " + std::to_string(i) + " is out of range");
    }
    const auto& arc = arcs[static_cast<std::size_t>(index)];
    const std::size_t skip = ring.empty() ? 0 : 1;
    if (reversed) {
      for (std::size_t k = skip; k < arc.size(); ++k) ring.push_back(arc[arc.size() - 1 - k]);
    } else {
      for (std::size_t k = skip; k < arc.size(); ++k) ring.push_back(arc[k]);
    }
  }
  return ring;
}

core::Result<TopoPolygon> Polygon(const json::value& v, const std::vector<std::vector<LonLat>>& arcs) {
  const json::array* rings = v.if_array();
  if (rings == nullptr) return Bad("a polygon is not an array of rings");
  TopoPolygon polygon;
  for (const json::value& rv : *rings) {
    const json::array* indexes = rv.if_array();
    if (indexes == nullptr) return Bad("a ring is not an array of arc indexes");
    auto ring = Ring(*indexes, arcs);
    if (!ring) return ring.error();
    if (ring->size() >= 3) polygon.rings.push_back(std::move(*ring));
  }
  return polygon;
}

std::string IdText(const json::value* id) {
  if (id == nullptr) return {};
  if (const json::string* s = id->if_string()) return std::string(s->data(), s->size());
  if (id->is_int64()) return std::to_string(id->get_int64());
  if (id->is_uint64()) return std::to_string(id->get_uint64());
  return {};
}

}  // namespace

core::Result<std::vector<TopoFeature>> DecodeTopoJson(std::string_view text, std::string_view object) {
  boost::system::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec) return Bad("not JSON: " + ec.message());
  const json::object* topology = root.if_object();
  if (topology == nullptr) return Bad("the document is not an object");
  const json::value* type = topology->if_contains("type");
  if (type == nullptr || !type->is_string() || type->get_string() != "Topology") return Bad("the type is not Topology");

  Transform transform;
  if (const json::value* tv = topology->if_contains("transform")) {
    const json::object* t = tv->if_object();
    const json::value* scale = t != nullptr ? t->if_contains("scale") : nullptr;
    const json::value* translate = t != nullptr ? t->if_contains("translate") : nullptr;
    const json::array* s = scale != nullptr ? scale->if_array() : nullptr;
    const json::array* tr = translate != nullptr ? translate->if_array() : nullptr;
    if (s == nullptr || tr == nullptr || s->size() < 2 || tr->size() < 2 || !Number((*s)[0], transform.sx) ||
        !Number((*s)[1], transform.sy) || !Number((*tr)[0], transform.tx) || !Number((*tr)[1], transform.ty)) {
      return Bad("the transform needs a scale and a translate of two numbers");
    }
    transform.quantized = true;
  }

  const json::value* arcs_value = topology->if_contains("arcs");
  const json::array* arcs_array = arcs_value != nullptr ? arcs_value->if_array() : nullptr;
  if (arcs_array == nullptr) return Bad("no arcs");
  auto arcs = DecodeArcs(*arcs_array, transform);
  if (!arcs) return arcs.error();

  const json::value* objects_value = topology->if_contains("objects");
  const json::object* objects = objects_value != nullptr ? objects_value->if_object() : nullptr;
  const json::value* collection_value = objects != nullptr ? objects->if_contains(object) : nullptr;
  const json::object* collection = collection_value != nullptr ? collection_value->if_object() : nullptr;
  if (collection == nullptr) return Bad("no object named " + std::string(object));
  const json::value* geometries_value = collection->if_contains("geometries");
  const json::array* geometries = geometries_value != nullptr ? geometries_value->if_array() : nullptr;
  if (geometries == nullptr) return Bad(std::string(object) + " is not a GeometryCollection");

  std::vector<TopoFeature> features;
  features.reserve(geometries->size());
  for (const json::value& gv : *geometries) {
    const json::object* g = gv.if_object();
    if (g == nullptr) return Bad("a geometry is not an object");
    const json::value* gtype = g->if_contains("type");
    const json::value* garcs = g->if_contains("arcs");
    if (gtype == nullptr || !gtype->is_string() || garcs == nullptr) continue;  // null geometries, points
    TopoFeature feature;
    feature.id = IdText(g->if_contains("id"));
    if (const json::value* props = g->if_contains("properties"); props != nullptr && props->is_object()) {
      if (const json::value* name = props->get_object().if_contains("name"); name != nullptr && name->is_string()) {
        feature.name = std::string(name->get_string().data(), name->get_string().size());
      }
    }
    if (gtype->get_string() == "Polygon") {
      auto polygon = Polygon(*garcs, *arcs);
      if (!polygon) return polygon.error();
      if (!polygon->rings.empty()) feature.polygons.push_back(std::move(*polygon));
    } else if (gtype->get_string() == "MultiPolygon") {
      const json::array* polygons = garcs->if_array();
      if (polygons == nullptr) return Bad("a MultiPolygon's arcs are not an array");
      for (const json::value& pv : *polygons) {
        auto polygon = Polygon(pv, *arcs);
        if (!polygon) return polygon.error();
        if (!polygon->rings.empty()) feature.polygons.push_back(std::move(*polygon));
      }
    } else {
      continue;
    }
    if (!feature.polygons.empty()) features.push_back(std::move(feature));
  }
  return features;
}

}  // namespace atrium::engines::media
