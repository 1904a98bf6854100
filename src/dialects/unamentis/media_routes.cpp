// The media core on unamentis (unamentis-management-api.md, "Media Generation"):
// capabilities, diagram and formula validation and rendering, maps and their styles.
// Every route needs an access token (the spec's common headers) and counts against the
// authenticated limit; renders run on the request's worker thread, bounded by the media
// core's own slots.

#include <boost/json.hpp>
#include <cmath>

#include "core/codec/base64.hpp"
#include "core/media/media_service.hpp"
#include "dialects/unamentis/fields.hpp"
#include "dialects/unamentis/request_guard.hpp"
#include "dialects/unamentis/unamentis.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unamentis {

namespace {

namespace json = boost::json;
using core::media::ImageFormat;

constexpr std::size_t kMediaBodyLimit = std::size_t{8}
                                        << 20;  // a map's points fit; 100,000 markers are refused by count

// A media failure in unamentis terms: a source the renderer refuses or a map value out
// of range is 400; what passes the deadline or the limits is 422 (the request is
// understood but will not be drawn); a renderer that is missing or busy is 503.
http::ApiError MediaError(const core::Error& error) {
  http::ApiError e = http::FromCoreError(error);
  using R = core::Reason;
  switch (error.reason()) {
    case R::kInvalidDiagramSource:
    case R::kInvalidFormula:
    case R::kInvalidMapRequest:
      e.status = 400;
      e.kind = http::ErrorKind::kValidation;
      break;
    case R::kRenderTimeout:
    case R::kRenderTooLarge:
      e.status = 422;
      e.kind = http::ErrorKind::kValidation;
      break;
    case R::kRendererUnavailable:
      e.status = 503;
      e.kind = http::ErrorKind::kUnavailable;
      break;
    case R::kRenderBusy:
      e.status = 503;
      e.kind = http::ErrorKind::kUnavailable;
      e.headers.Set("Retry-After", "1");
      break;
    case R::kNone:
    case R::kMissingCredentials:
    case R::kInvalidCredentials:
    case R::kMissingToken:
    case R::kInvalidToken:
    case R::kTokenExpired:
    case R::kTokenReused:
    case R::kSessionRevoked:
    case R::kSessionNotFound:
    case R::kInvalidApiKey:
    case R::kAccountBanned:
    case R::kAccountInactive:
    case R::kAccountLocked:
    case R::kDeviceNotFound:
    case R::kUserNotFound:
    case R::kEmailExists:
    case R::kUsernameExists:
    case R::kInvalidEmail:
    case R::kWeakPassword:
    case R::kCannotBanAdmin:
    case R::kCannotBanSelf:
    case R::kInvalidMessage:
    case R::kInvalidPrompt:
    case R::kConversationNotFound:
    case R::kMessageNotFound:
    case R::kTokenLimitExceeded:
    case R::kAbandoned:
    case R::kConfigNotFound:
    case R::kTemplateNotFound:
    case R::kImageNotFound:
    case R::kArenaConfigCount:
    case R::kInvalidDays:
    case R::kNotConfigured:
    case R::kLlmNotConfigured:
    case R::kLlmUnavailable:
    case R::kLlmBusy:
    case R::kLlmRateLimited:
    case R::kLlmRejected:
    case R::kLlmStreamInterrupted:
    case R::kLlmBadResponse:
    case R::kLlmEmptyAnswer:
    case R::kModelNotFound:
    case R::kCancelled:
    case R::kUpstreamIo:
    case R::kInvalidAudio:
    case R::kAudioTooLarge:
    case R::kAudioTooLong:
    case R::kSpeechNotConfigured:
    case R::kSpeechUnavailable:
    case R::kSpeechBusy:
    case R::kSpeechTimeout:
    case R::kInvalidVoice:
    case R::kTextTooLong:
    case R::kMemoryNotFound:
    case R::kDocumentNotFound:
    case R::kUnsupportedDocument:
    case R::kInvalidDocument:
    case R::kDocumentTooLarge:
    case R::kExportNotFound:
    case R::kEmbeddingsNotConfigured:
      break;  // the neutral mapping stands
  }
  return e;
}

json::object ImageJson(const core::media::RenderedImage& image) {
  return {{"success", true},
          {"data", core::Base64Encode(image.bytes)},
          {"mimeType", core::media::ImageMime(image.format)},
          {"width", image.width},
          {"height", image.height},
          {"renderMethod", image.render_method}};
}

// Problems as the spec's list of messages ("line 2: ..."), and with their positions.
void AddProblems(json::object& out, std::string_view key, const std::vector<core::media::SourceProblem>& problems) {
  json::array messages, detailed;
  for (const auto& p : problems) {
    messages.emplace_back(p.line > 0 ? "line " + std::to_string(p.line) + ": " + p.message : p.message);
    json::object d{{"message", p.message}};
    d["line"] = p.line > 0 ? json::value(p.line) : json::value(nullptr);
    d["column"] = p.column > 0 ? json::value(p.column) : json::value(nullptr);
    detailed.push_back(std::move(d));
  }
  out[key] = std::move(messages);
  out[std::string(key) + "Detail"] = std::move(detailed);
}

std::optional<http::ApiError> OptionalNumber(const json::object& o, std::string_view key, double& out) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_int64()) {
    out = static_cast<double>(v->as_int64());
  } else if (v->is_uint64()) {
    out = static_cast<double>(v->as_uint64());
  } else if (v->is_double() && std::isfinite(v->as_double())) {
    out = v->as_double();
  } else {
    return FieldError("validation_error", std::string(key), std::string(key) + " must be a number");
  }
  return std::nullopt;
}

std::optional<http::ApiError> OptionalInt(const json::object& o, std::string_view key, int& out, int min, int max) {
  if (const auto* v = o.if_contains(key); v == nullptr || v->is_null()) return std::nullopt;
  double n = out;
  if (auto e = OptionalNumber(o, key, n)) return e;
  if (n != std::floor(n) || n < min || n > max) {
    return FieldError(
        "validation_error", std::string(key),
        std::string(key) + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  out = static_cast<int>(n);
  return std::nullopt;
}

std::optional<http::ApiError> OutputFormat(const json::object& o, ImageFormat& out) {
  std::optional<std::string> f;
  if (auto e = OptionalString(o, "outputFormat", f, 16)) return e;
  if (!f) return std::nullopt;
  if (*f == "svg") {
    out = ImageFormat::kSvg;
  } else if (*f == "png") {
    out = ImageFormat::kPng;
  } else {
    return FieldError("validation_error", "outputFormat", "outputFormat must be svg or png");
  }
  return std::nullopt;
}

http::Result<core::media::DiagramRequest> ParseDiagram(const json::object& o) {
  core::media::DiagramRequest r;
  std::optional<std::string> format, code, theme;
  if (auto e = OptionalString(o, "format", format, 32)) return *e;
  if (!format) return FieldError("missing_field", "format", "format is required");
  const auto parsed = core::media::ParseDiagramFormat(*format);
  if (!parsed) return FieldError("validation_error", "format", "format must be one of mermaid, graphviz, plantuml, d2");
  r.format = *parsed;
  if (auto e = OptionalString(o, "code", code)) return *e;
  if (!code) return FieldError("missing_field", "code", "code is required");
  r.code = std::move(*code);
  if (auto e = OptionalString(o, "theme", theme, 32)) return *e;
  if (theme) {
    if (*theme != "default" && *theme != "dark" && *theme != "forest" && *theme != "neutral") {
      return FieldError("validation_error", "theme", "theme must be one of default, dark, forest, neutral");
    }
    r.theme = *theme;
  }
  if (auto e = OptionalInt(o, "width", r.width, 1, 4096)) return *e;
  if (auto e = OptionalInt(o, "height", r.height, 1, 4096)) return *e;
  return r;
}

http::Result<core::media::FormulaRequest> ParseFormula(const json::object& o) {
  core::media::FormulaRequest r;
  std::optional<std::string> latex, color;
  if (auto e = OptionalString(o, "latex", latex)) return *e;
  if (!latex) return FieldError("missing_field", "latex", "latex is required");
  r.latex = std::move(*latex);
  if (auto e = OptionalBool(o, "displayMode", r.display_mode)) return *e;
  if (auto e = OptionalNumber(o, "fontSize", r.font_size)) return *e;
  if (!(r.font_size >= 4 && r.font_size <= 200)) {
    return FieldError("validation_error", "fontSize", "fontSize must be from 4 to 200");
  }
  if (auto e = OptionalString(o, "color", color, 32)) return *e;
  if (color) r.color = *color;
  return r;
}

bool IsColor(const std::string& c) {
  if ((c.size() != 4 && c.size() != 7) || c[0] != '#') return false;
  for (std::size_t i = 1; i < c.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(c[i]))) return false;
  }
  return true;
}

std::optional<http::ApiError> Color(const json::object& o, std::string_view key, const std::string& field,
                                    std::string& out) {
  std::optional<std::string> c;
  if (auto e = OptionalString(o, key, c, 16)) {
    e->details["field"] = field;
    return e;
  }
  if (!c) return std::nullopt;
  if (!IsColor(*c)) return FieldError("validation_error", field, field + " must be a colour like #3498DB");
  out = *c;
  return std::nullopt;
}

std::optional<http::ApiError> Label(const json::object& o, const std::string& field, std::string& out) {
  std::optional<std::string> l;
  if (auto e = OptionalString(o, "label", l, 200)) {
    e->details["field"] = field;
    return e;
  }
  if (l) out = *l;
  return std::nullopt;
}

// [[lat, lon], ...] of a route or region.
std::optional<http::ApiError> Points(const json::object& o, const std::string& field,
                                     std::vector<core::media::GeoPoint>& out) {
  const auto* v = o.if_contains("points");
  if (v == nullptr || !v->is_array())
    return FieldError("missing_field", field, field + " must be a list of [latitude, longitude]");
  for (const auto& p : v->as_array()) {
    const auto* pair = p.if_array();
    if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_number() || !(*pair)[1].is_number()) {
      return FieldError("validation_error", field, field + " must be a list of [latitude, longitude]");
    }
    out.push_back({(*pair)[0].to_number<double>(), (*pair)[1].to_number<double>()});
  }
  return std::nullopt;
}

std::optional<http::ApiError> LatLon(const json::object& o, const std::string& field, core::media::GeoPoint& out) {
  double lat = NAN, lon = NAN;
  if (auto e = OptionalNumber(o, "latitude", lat))
    return FieldError("validation_error", field + ".latitude", "latitude must be a number");
  if (auto e = OptionalNumber(o, "longitude", lon))
    return FieldError("validation_error", field + ".longitude", "longitude must be a number");
  if (std::isnan(lat) || std::isnan(lon))
    return FieldError("missing_field", field, field + " needs latitude and longitude");
  out = {lat, lon};
  return std::nullopt;
}

// A list field: absent is empty; more entries than `max` stops reading (the media core
// refuses the count as too large, without this parser building 100,000 of them).
const json::array* List(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

http::Result<core::media::MapRequest> ParseMap(const json::object& o, const core::media::MapLimits& limits) {
  core::media::MapRequest r;
  std::optional<std::string> title, style;
  if (auto e = OptionalString(o, "title", title, 200)) return *e;
  if (title) r.title = *title;
  if (const auto* c = o.if_contains("center"); c != nullptr && !c->is_null()) {
    if (!c->is_object())
      return FieldError("validation_error", "center", "center must be an object with latitude and longitude");
    if (auto e = LatLon(c->as_object(), "center", r.center)) return *e;
  }
  if (auto e = OptionalNumber(o, "zoom", r.zoom)) return *e;
  if (auto e = OptionalString(o, "style", style, 32)) return *e;
  if (style) r.style = *style;
  if (auto e = OptionalInt(o, "width", r.width, 1, 4096)) return *e;
  if (auto e = OptionalInt(o, "height", r.height, 1, 4096)) return *e;
  if (auto e = OutputFormat(o, r.format)) return *e;
  for (const auto key : {"markers", "routes", "regions"}) {
    const auto* v = o.if_contains(key);
    if (v != nullptr && !v->is_null() && !v->is_array()) {
      return FieldError("validation_error", key, std::string(key) + " must be a list");
    }
  }
  if (const auto* markers = List(o, "markers")) {
    if (markers->size() > limits.max_markers) {
      r.markers.resize(markers->size());  // counted, not read: the core refuses it
    } else {
      for (std::size_t i = 0; i < markers->size(); ++i) {
        const std::string field = "markers[" + std::to_string(i) + "]";
        const auto* m = (*markers)[i].if_object();
        if (m == nullptr) return FieldError("validation_error", field, field + " must be an object");
        core::media::MapMarker marker;
        if (auto e = LatLon(*m, field, marker.at)) return *e;
        if (auto e = Label(*m, field + ".label", marker.label)) return *e;
        if (auto e = Color(*m, "color", field + ".color", marker.color)) return *e;
        r.markers.push_back(std::move(marker));
      }
    }
  }
  if (const auto* routes = List(o, "routes")) {
    if (routes->size() > limits.max_routes) {
      r.routes.resize(routes->size());
    } else {
      for (std::size_t i = 0; i < routes->size(); ++i) {
        const std::string field = "routes[" + std::to_string(i) + "]";
        const auto* m = (*routes)[i].if_object();
        if (m == nullptr) return FieldError("validation_error", field, field + " must be an object");
        core::media::MapRoute route;
        if (auto e = Points(*m, field + ".points", route.points)) return *e;
        if (auto e = Label(*m, field + ".label", route.label)) return *e;
        if (auto e = Color(*m, "color", field + ".color", route.color)) return *e;
        if (auto e = OptionalNumber(*m, "width", route.width)) return *e;
        r.routes.push_back(std::move(route));
      }
    }
  }
  if (const auto* regions = List(o, "regions")) {
    if (regions->size() > limits.max_regions) {
      r.regions.resize(regions->size());
    } else {
      for (std::size_t i = 0; i < regions->size(); ++i) {
        const std::string field = "regions[" + std::to_string(i) + "]";
        const auto* m = (*regions)[i].if_object();
        if (m == nullptr) return FieldError("validation_error", field, field + " must be an object");
        core::media::MapRegion region;
        if (auto e = Points(*m, field + ".points", region.points)) return *e;
        if (auto e = Label(*m, field + ".label", region.label)) return *e;
        if (auto e = Color(*m, "fillColor", field + ".fillColor", region.fill_color)) return *e;
        if (auto e = OptionalNumber(*m, "fillOpacity", region.fill_opacity)) return *e;
        r.regions.push_back(std::move(region));
      }
    }
  }
  return r;
}

json::object Capabilities(const core::media::MediaCapabilities& c) {
  json::array formats;
  json::object renderers;
  for (const auto& d : c.diagrams) {
    formats.emplace_back(core::media::DiagramFormatName(d.format));
    renderers[core::media::DiagramFormatName(d.format)] = d.available;
  }
  json::array styles;
  for (const auto& s : c.map_styles) styles.emplace_back(s.id);
  // Truthful names: MathJax draws formulas (not KaTeX), Cairo draws maps (not cartopy,
  // folium or tiles); the spec's keys are kept, false, for clients that test them.
  return {
      {"diagrams", {{"formats", std::move(formats)}, {"renderers", std::move(renderers)}}},
      {"formulas",
       {{"renderers", {{"mathjax", c.formulas}, {"katex", false}, {"latex", c.latex}}}, {"clientSideSupported", true}}},
      {"maps",
       {{"styles", std::move(styles)},
        {"renderers", {{"cairo", c.maps}, {"cartopy", false}, {"folium", false}, {"staticTiles", false}}},
        {"features", json::array{"markers", "routes", "regions"}}}}};
}

}  // namespace

void AddMediaRoutes(http::Site& site, const Deps& services) {
  auto& media = services.media;
  const RateRules rules;
  auto add = [&](http::Method method, const char* pattern, UserHandler handler) {
    site.Add(method, pattern, ForUser(services, rules.authenticated, rules.unauthenticated, std::move(handler)),
             {.body_limit = kMediaBodyLimit});
  };
  add(http::Method::kGet, "/api/media/capabilities", [&media](http::Request&, const core::identity::Principal&) {
    return http::JsonReply(200, {{"success", true}, {"capabilities", Capabilities(media.capabilities())}});
  });
  add(http::Method::kPost, "/api/media/diagrams/validate",
      [&media](http::Request& req, const core::identity::Principal&) -> http::Reply {
        auto body = http::ParseJsonObject(req);
        if (!body) return std::move(body).error();
        auto request = ParseDiagram(*body);
        if (!request) return std::move(request).error();
        auto problems = media.ValidateDiagram(std::move(*request));
        if (!problems) return MediaError(problems.error());
        json::object out{{"success", true}, {"valid", problems->empty()}};
        AddProblems(out, "errors", *problems);
        return http::JsonReply(200, out);
      });
  add(http::Method::kPost, "/api/media/diagrams/render",
      [&media](http::Request& req, const core::identity::Principal&) -> http::Reply {
        auto body = http::ParseJsonObject(req);
        if (!body) return std::move(body).error();
        auto request = ParseDiagram(*body);
        if (!request) return std::move(request).error();
        ImageFormat output = ImageFormat::kSvg;
        if (auto e = OutputFormat(*body, output)) return *e;
        auto image = media.RenderDiagram(std::move(*request), output);
        if (!image) return MediaError(image.error());
        return http::JsonReply(200, ImageJson(*image));
      });
  add(http::Method::kPost, "/api/media/formulas/validate",
      [&media](http::Request& req, const core::identity::Principal&) -> http::Reply {
        auto body = http::ParseJsonObject(req);
        if (!body) return std::move(body).error();
        auto request = ParseFormula(*body);
        if (!request) return std::move(request).error();
        auto check = media.ValidateFormula(std::move(*request));
        if (!check) return MediaError(check.error());
        json::object out{{"success", true}, {"valid", check->errors.empty()}};
        AddProblems(out, "errors", check->errors);
        AddProblems(out, "warnings", check->warnings);
        return http::JsonReply(200, out);
      });
  add(http::Method::kPost, "/api/media/formulas/render",
      [&media](http::Request& req, const core::identity::Principal&) -> http::Reply {
        auto body = http::ParseJsonObject(req);
        if (!body) return std::move(body).error();
        auto request = ParseFormula(*body);
        if (!request) return std::move(request).error();
        ImageFormat output = ImageFormat::kSvg;
        if (auto e = OutputFormat(*body, output)) return *e;
        auto image = media.RenderFormula(std::move(*request), output);
        if (!image) return MediaError(image.error());
        return http::JsonReply(200, ImageJson(*image));
      });
  add(http::Method::kPost, "/api/media/maps/render",
      [&media](http::Request& req, const core::identity::Principal&) -> http::Reply {
        auto body = http::ParseJsonObject(req);
        if (!body) return std::move(body).error();
        auto request = ParseMap(*body, media.limits().map);
        if (!request) return std::move(request).error();
        auto image = media.RenderMap(*request);
        if (!image) return MediaError(image.error());
        return http::JsonReply(200, ImageJson(*image));
      });
  add(http::Method::kGet, "/api/media/maps/styles", [&media](http::Request&, const core::identity::Principal&) {
    json::array styles;
    for (const auto& s : media.capabilities().map_styles) {
      styles.push_back({{"id", s.id}, {"name", s.name}, {"description", s.description}});
    }
    return http::JsonReply(200, {{"success", true}, {"styles", std::move(styles)}});
  });
}

}  // namespace atrium::dialects::unamentis
