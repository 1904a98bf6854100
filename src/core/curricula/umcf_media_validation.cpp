#include "core/curricula/umcf_media_validation.hpp"

#include "core/curricula/umcf_media_kind.hpp"

namespace atrium::core::curricula::detail {

namespace json = boost::json;

namespace {

using MediaIds = std::set<std::string, std::less<>>;

// The free-text fields any entry may carry.
void CheckLabels(const json::object& e, std::string_view path, UmcfChecker& c) {
  const std::size_t max = c.limits().max_text_bytes;
  for (std::string_view key : {"title", "description", "alt", "alt_text", "caption", "mimeType", "localPath"}) {
    (void)c.Text(e, key, path, Need::kOptional, max);  // only the checks matter here
  }
}

// A pre-rendered file: url (or a localPath inside the curriculum's asset folder).
bool HasFile(const json::object& e) { return e.contains("url") || e.contains("localPath"); }

void CheckFile(const json::object& e, std::string_view path, UmcfChecker& c) {
  (void)c.Text(e, "url", path, HasFile(e) ? Need::kOptional : Need::kRequired, c.limits().max_text_bytes);
}

// With code, format names its language; without, the entry is a rendered file and format
// (when present) is the file's ("svg").
void CheckDiagram(const json::object& e, std::string_view path, UmcfChecker& c) {
  if (!e.contains("code") && HasFile(e)) {
    (void)c.String(e, "format", path, Need::kOptional);
    CheckFile(e, path, c);
    return;
  }
  (void)c.OneOf(e, "format", path, Need::kRequired, kUmcfDiagramFormats);
  (void)c.Text(e, "code", path, Need::kRequired, c.limits().max_text_bytes);
}

void CheckFormula(const json::object& e, std::string_view path, UmcfChecker& c) {
  if (!e.contains("latex") && HasFile(e)) return CheckFile(e, path, c);
  (void)c.Text(e, "latex", path, Need::kRequired, c.limits().max_text_bytes);
  (void)c.Bool(e, "displayMode", path, Need::kOptional);
}

void CheckPoint(const json::object& p, std::string_view path, UmcfChecker& c) {
  (void)c.Number(p, "latitude", path, Need::kRequired, -90, 90);
  (void)c.Number(p, "longitude", path, Need::kRequired, -180, 180);
}

// points: [[latitude, longitude], ...], at least min_points of them.
void CheckPointList(const json::object& o, std::string_view path, std::size_t min_points, UmcfChecker& c) {
  const json::array* points = c.Array(o, "points", path, Need::kRequired);
  if (points == nullptr) return;
  const std::string list_path = Join(path, "points");
  if (points->size() < min_points) {
    c.Report(list_path, kUmcfInvalidValue, list_path + " must hold at least " + std::to_string(min_points) + " points");
  }
  for (std::size_t i = 0; i < points->size(); ++i) {
    const std::string at = Index(list_path, i);
    const json::array* pair = (*points)[i].if_array();
    if (pair == nullptr || pair->size() != 2 || !NumberOf((*pair)[0]) || !NumberOf((*pair)[1])) {
      c.WrongType(at, "a [latitude, longitude] pair", (*points)[i]);
      continue;
    }
    const double lat = *NumberOf((*pair)[0]);
    const double lon = *NumberOf((*pair)[1]);
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
      c.Report(at, kUmcfInvalidValue, at + " must be a latitude in -90..90 and a longitude in -180..180");
    }
  }
}

// Each element of o[key] as an object, handed to check with its path.
template <class Check>
void EachObject(const json::object& o, std::string_view key, std::string_view path, UmcfChecker& c, Check check) {
  const json::array* a = c.Array(o, key, path, Need::kOptional);
  if (a == nullptr) return;
  const std::string list_path = Join(path, key);
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string at = Index(list_path, i);
    if (const json::object* item = c.AsObject((*a)[i], at)) check(*item, at);
  }
}

// The spec's map request: center, zoom, style, markers, routes, regions.
void CheckMap(const json::object& e, std::string_view path, UmcfChecker& c) {
  if (!e.contains("center") && HasFile(e)) return CheckFile(e, path, c);
  if (const json::object* center = c.Object(e, "center", path, Need::kRequired)) {
    CheckPoint(*center, Join(path, "center"), c);
  }
  (void)c.Number(e, "zoom", path, Need::kOptional, 0, 18);
  (void)c.String(e, "style", path, Need::kOptional);
  EachObject(e, "markers", path, c, [&c](const json::object& m, const std::string& at) {
    CheckPoint(m, at, c);
    (void)c.String(m, "label", at, Need::kOptional);
    (void)c.String(m, "color", at, Need::kOptional);
  });
  EachObject(e, "routes", path, c, [&c](const json::object& r, const std::string& at) {
    CheckPointList(r, at, 2, c);
    (void)c.String(r, "label", at, Need::kOptional);
    (void)c.String(r, "color", at, Need::kOptional);
    (void)c.Number(r, "width", at, Need::kOptional, 0, 100);
  });
  EachObject(e, "regions", path, c, [&c](const json::object& r, const std::string& at) {
    CheckPointList(r, at, 3, c);
    (void)c.String(r, "label", at, Need::kOptional);
    (void)c.String(r, "fillColor", at, Need::kOptional);
    (void)c.Number(r, "fillOpacity", at, Need::kOptional, 0, 1);
  });
}

void CheckEntry(const json::object& e, std::string_view path, UmcfChecker& c, MediaIds& ids) {
  if (const auto id = c.Id(e, "id", path, Need::kRequired)) {
    if (!ids.emplace(*id).second) {
      const std::string at = Join(path, "id");
      c.Report(at, kUmcfDuplicateId, at + " \"" + std::string(*id) + "\" names another media entry too");
    }
  }
  CheckLabels(e, path, c);
  const auto type = c.OneOf(e, "type", path, Need::kRequired, kUmcfMediaTypes);
  if (!type) return;
  switch (*UmcfMediaKindOf(*type)) {
    case UmcfMediaKind::kImage:
      return CheckFile(e, path, c);
    case UmcfMediaKind::kDiagram:
      return CheckDiagram(e, path, c);
    case UmcfMediaKind::kFormula:
      return CheckFormula(e, path, c);
    case UmcfMediaKind::kMap:
      return CheckMap(e, path, c);
  }
}

}  // namespace

void CheckNodeMedia(const json::object& node, std::string_view node_path, UmcfChecker& c, MediaIds& media_ids) {
  const json::object* media = c.Object(node, "media", node_path, Need::kOptional);
  if (media == nullptr) return;
  const std::string path = Join(node_path, "media");
  for (std::string_view list : {"embedded", "reference"}) {
    EachObject(*media, list, path, c,
               [&](const json::object& e, const std::string& at) { CheckEntry(e, at, c, media_ids); });
  }
}

}  // namespace atrium::core::curricula::detail
