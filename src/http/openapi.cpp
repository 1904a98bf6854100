#include "http/openapi.hpp"

#include <boost/json.hpp>
#include <set>

namespace atrium::http {

namespace {

namespace json = boost::json;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "post /v1/commands/parse" -> "post_v1_commands_parse"; made unique by the caller.
std::string OperationId(std::string_view method, std::string_view path) {
  std::string id = Lower(method);
  bool sep = true;
  for (const char c : path) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      if (sep) id += '_';
      id += c;
      sep = false;
    } else {
      sep = true;
    }
  }
  return id;
}

json::object Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json::object ErrorResponse(const char* description) {
  return {{"description", description}, {"content", {{"application/json", {{"schema", Ref("Error")}}}}}};
}

}  // namespace

std::string OpenApiPath(std::string_view pattern) {
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == ':' && (i == 0 || pattern[i - 1] == '/')) {
      const auto end = pattern.find('/', i);
      const auto name = pattern.substr(i + 1, end == std::string_view::npos ? std::string_view::npos : end - i - 1);
      out += "{" + std::string(name) + "}";
      i = end == std::string_view::npos ? pattern.size() : end;
    } else {
      out += pattern[i++];
    }
  }
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

json::object OpenApiDocument(const Router& router, const OpenApiInfo& info) {
  json::object paths;
  json::object error_responses;  // components/responses
  std::set<std::string> ids;
  std::set<std::string> tags;
  for (const Route* route : router.routes()) {
    const std::string path = OpenApiPath(route->pattern);
    const std::string method = Lower(MethodName(route->method));
    const RouteDoc& doc = route->options.doc;
    json::object op;
    op["summary"] = doc.summary.empty() ? std::string(MethodName(route->method)) + " " + path : doc.summary;
    std::string id = OperationId(method, path);
    for (int n = 2; ids.count(id); ++n) id = OperationId(method, path) + "_" + std::to_string(n);
    ids.insert(id);
    op["operationId"] = id;
    const std::string tag = doc.tag.empty() ? std::string("Other") : doc.tag;
    tags.insert(tag);
    op["tags"] = json::array{json::value(tag)};
    if (!route->param_names.empty()) {
      json::array params;
      for (const auto& name : route->param_names) {
        params.push_back(
            json::object{{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
      }
      op["parameters"] = std::move(params);
    }
    if (!doc.request_schema.empty()) {
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", Ref(doc.request_schema)}}}}}};
    }
    json::object ok{{"description", route->websocket ? "WebSocket upgrade" : "Successful response"}};
    if (!route->websocket) {
      json::object media;
      if (!doc.response_schema.empty()) {
        media["schema"] = Ref(doc.response_schema);
      } else if (doc.response_type == "application/json") {
        media["schema"] = json::object{{"type", "object"}};
      } else {
        media["schema"] = json::object{{"type", "string"}};
      }
      ok["content"] = json::object{{doc.response_type, std::move(media)}};
    }
    json::object responses;
    responses[route->websocket ? "101" : "200"] = std::move(ok);
    const auto add_errors = [&](const std::vector<OpenApiError>& errors) {
      for (const auto& e : errors) {
        responses[e.status] = json::object{{"$ref", "#/components/responses/" + e.name}};
        error_responses[e.name] = ErrorResponse(e.description.c_str());
      }
    };
    if (!doc.request_schema.empty()) add_errors(info.body_errors);
    if (doc.secured) {
      if (info.secured_errors.empty()) responses["401"] = ErrorResponse("Missing or invalid credentials");
      add_errors(info.secured_errors);
      op["security"] = json::array{json::object{{"bearerAuth", json::array{}}}};
    } else if (!info.bearer_description.empty()) {
      op["security"] = json::array{};  // explicitly public
    }
    add_errors(info.common_errors);
    responses["default"] = ErrorResponse("Error in the dialect's error shape");
    op["responses"] = std::move(responses);
    if (!paths.contains(path)) paths[path] = json::object{};
    paths[path].as_object()[method] = std::move(op);
  }
  json::array tag_list;
  for (const auto& t : tags) tag_list.push_back(json::object{{"name", t}});
  json::object components{{"schemas", info.schemas}};
  if (!error_responses.empty()) components["responses"] = std::move(error_responses);
  json::object doc{{"openapi", "3.1.0"},
                   {"info",
                    {{"title", info.title},
                     {"description", info.description},
                     {"version", info.version},
                     {"license", {{"name", "MIT"}, {"identifier", "MIT"}}}}},
                   {"servers", json::array{json::object{{"url", info.server_url}}}},
                   {"tags", std::move(tag_list)},
                   {"paths", std::move(paths)}};
  if (!info.bearer_description.empty()) {
    components["securitySchemes"] = {
        {"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}, {"description", info.bearer_description}}}};
    doc["security"] = json::array{json::object{{"bearerAuth", json::array{}}}};
  }
  doc["components"] = std::move(components);
  return doc;
}

}  // namespace atrium::http
