#include "core/curricula/umcf_summary.hpp"

#include <boost/json/object.hpp>

#include "core/curricula/umcf_checker.hpp"
#include "core/curricula/umcf_duration.hpp"
#include "core/curricula/umcf_validation.hpp"

namespace atrium::core::curricula {

namespace json = boost::json;
using detail::Index;
using detail::Join;
using detail::NumberOf;

namespace {

// The document is valid here: a field is either absent, null or of its checked type.
std::string StringAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object* ObjectAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr ? v->if_object() : nullptr;
}

const json::array* ArrayAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr ? v->if_array() : nullptr;
}

double NumberAt(const json::object& o, std::string_view key, double otherwise) {
  const json::value* v = o.if_contains(key);
  return v == nullptr ? otherwise : NumberOf(*v).value_or(otherwise);
}

bool IsTopicType(std::string_view type) { return type == "topic" || type == "subtopic" || type == "lesson"; }

std::vector<media::GeoPoint> Points(const json::object& o) {
  std::vector<media::GeoPoint> out;
  if (const json::array* points = ArrayAt(o, "points")) {
    for (const json::value& p : *points) {
      const json::array& pair = p.get_array();
      out.push_back({*NumberOf(pair[0]), *NumberOf(pair[1])});
    }
  }
  return out;
}

media::MapRequest MapOf(const json::object& e) {
  media::MapRequest map;
  map.title = StringAt(e, "title");
  const json::object& center = *ObjectAt(e, "center");
  map.center = {NumberAt(center, "latitude", 0), NumberAt(center, "longitude", 0)};
  map.zoom = NumberAt(e, "zoom", map.zoom);
  if (const std::string style = StringAt(e, "style"); !style.empty()) map.style = style;
  auto each = [&e](std::string_view key, auto add) {
    if (const json::array* a = ArrayAt(e, key)) {
      for (const json::value& item : *a) add(item.get_object());
    }
  };
  each("markers", [&map](const json::object& m) {
    media::MapMarker marker{{NumberAt(m, "latitude", 0), NumberAt(m, "longitude", 0)}, StringAt(m, "label")};
    if (const std::string color = StringAt(m, "color"); !color.empty()) marker.color = color;
    map.markers.push_back(std::move(marker));
  });
  each("routes", [&map](const json::object& r) {
    media::MapRoute route{Points(r), StringAt(r, "label")};
    if (const std::string color = StringAt(r, "color"); !color.empty()) route.color = color;
    route.width = NumberAt(r, "width", route.width);
    map.routes.push_back(std::move(route));
  });
  each("regions", [&map](const json::object& r) {
    media::MapRegion region{Points(r), StringAt(r, "label")};
    if (const std::string color = StringAt(r, "fillColor"); !color.empty()) region.fill_color = color;
    region.fill_opacity = NumberAt(r, "fillOpacity", region.fill_opacity);
    map.regions.push_back(std::move(region));
  });
  return map;
}

UmcfMediaAsset AssetOf(const json::object& e, const std::string& node_id, std::string path) {
  UmcfMediaAsset a;
  a.id = StringAt(e, "id");
  a.type = StringAt(e, "type");
  a.kind = UmcfMediaKindOf(a.type).value_or(UmcfMediaKind::kImage);
  a.node_id = node_id;
  a.path = std::move(path);
  a.title = StringAt(e, "title");
  a.alt = StringAt(e, "alt");
  if (a.alt.empty()) a.alt = StringAt(e, "alt_text");
  a.url = StringAt(e, "url");
  if (a.kind == UmcfMediaKind::kDiagram && e.contains("code")) {
    a.diagram_format = StringAt(e, "format");
    a.code = StringAt(e, "code");
  }
  a.latex = StringAt(e, "latex");
  if (const json::value* d = e.if_contains("displayMode"); d != nullptr && d->is_bool()) a.display_mode = d->get_bool();
  if (a.kind == UmcfMediaKind::kMap && ObjectAt(e, "center") != nullptr) a.map = MapOf(e);
  return a;
}

class Summarizer {
 public:
  explicit Summarizer(UmcfSummary& s) : s_(s) {}

  void Nodes(const json::array& nodes, const std::string& path) {
    for (std::size_t i = 0; i < nodes.size(); ++i) Node(nodes[i].get_object(), Index(path, i));
  }

 private:
  void Node(const json::object& node, const std::string& path) {
    ++s_.node_count;
    const std::string id = StringAt(*ObjectAt(node, "id"), "value");
    std::vector<std::string> media_ids = Media(node, id, path);
    if (const std::string type = StringAt(node, "type"); IsTopicType(type)) {
      UmcfTopic topic{id, StringAt(node, "title"), StringAt(node, "description"), type, path};
      if (const json::object* transcript = ObjectAt(node, "transcript")) {
        topic.segment_count = ArrayAt(*transcript, "segments")->size();
        topic.duration_seconds = ParseUmcfDuration(StringAt(*transcript, "totalDuration"));
      }
      if (topic.duration_seconds)
        s_.total_duration_seconds = s_.total_duration_seconds.value_or(0) + *topic.duration_seconds;
      topic.media_ids = std::move(media_ids);
      s_.topics.push_back(std::move(topic));
    }
    if (const json::array* children = ArrayAt(node, "children")) Nodes(*children, Join(path, "children"));
  }

  std::vector<std::string> Media(const json::object& node, const std::string& id, const std::string& path) {
    std::vector<std::string> ids;
    const json::object* media = ObjectAt(node, "media");
    if (media == nullptr) return ids;
    for (std::string_view list : {"embedded", "reference"}) {
      const json::array* entries = ArrayAt(*media, list);
      if (entries == nullptr) continue;
      const std::string list_path = Join(Join(path, "media"), list);
      for (std::size_t i = 0; i < entries->size(); ++i) {
        s_.media.push_back(AssetOf((*entries)[i].get_object(), id, Index(list_path, i)));
        ids.push_back(s_.media.back().id);
      }
    }
    return ids;
  }

  UmcfSummary& s_;
};

}  // namespace

Result<UmcfSummary> SummarizeUmcf(const json::value& doc) {
  if (const auto problems = ValidateUmcf(doc); !problems.empty()) {
    return Error(ErrorCode::kInvalidArgument, "The curriculum is not valid UMCF: " + problems.front().message,
                 problems.front().path + " " + problems.front().code);
  }
  const json::object& root = doc.get_object();
  UmcfSummary s;
  s.id = StringAt(*ObjectAt(root, "id"), "value");
  s.title = StringAt(root, "title");
  s.description = StringAt(root, "description");
  if (const json::object* metadata = ObjectAt(root, "metadata")) {
    s.author = StringAt(*metadata, "author");
    s.language = StringAt(*metadata, "language");
  }
  s.version = StringAt(*ObjectAt(root, "version"), "number");
  Summarizer(s).Nodes(*ArrayAt(root, "content"), "content");
  s.topics_count = s.topics.size();
  return s;
}

}  // namespace atrium::core::curricula
