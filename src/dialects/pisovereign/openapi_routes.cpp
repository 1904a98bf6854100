// The OpenAPI 3.1 document at /api-docs/openapi.json (generated from this site's route
// table when asked, so it always lists every route), Swagger UI at /swagger-ui/ from
// the swagger-ui files a Debian package ships (python3-flasgger; no CDN), and a small
// self-contained reference page at /redoc/ (Debian ships no ReDoc).

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "dialects/pisovereign/pisovereign.hpp"
#include "dialects/settings.hpp"
#include "http/json_body.hpp"
#include "http/openapi.hpp"

namespace atrium::dialects::pisovereign {

namespace {

// The packaged swagger-ui (3.x) renders OpenAPI 3.0, so the page hands it a 3.0 view
// of the 3.1 document: type lists with "null" become `nullable`.
constexpr const char* kSwaggerPage = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>PiSovereign API - Swagger UI</title>
<link rel="stylesheet" href="/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/swagger-ui/swagger-ui-bundle.js"></script>
<script>
function to30(node) {
  if (Array.isArray(node)) return node.map(to30);
  if (node && typeof node === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(node)) out[k] = to30(v);
    if (Array.isArray(out.type)) {
      const types = out.type.filter(t => t !== 'null');
      if (types.length !== out.type.length) out.nullable = true;
      out.type = types[0];
    }
    return out;
  }
  return node;
}
fetch('/api-docs/openapi.json').then(r => r.json()).then(doc => {
  const spec = to30(doc);
  spec.openapi = '3.0.3';
  if (spec.info && spec.info.license) delete spec.info.license.identifier;
  if (typeof SwaggerUIBundle === 'undefined') {
    document.getElementById('swagger-ui').textContent =
      'swagger-ui assets are not installed (python3-flasgger); the document is at /api-docs/openapi.json';
    return;
  }
  SwaggerUIBundle({spec, dom_id: '#swagger-ui'});
});
</script></body></html>
)";

constexpr const char* kReferencePage = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>PiSovereign API - Reference</title>
<style>
body{font-family:sans-serif;margin:2em;max-width:60em}h2{border-bottom:1px solid #ccc}
.op{margin:.6em 0;padding:.4em .6em;border-left:4px solid #888;background:#f7f7f7}
.m{font-weight:bold;text-transform:uppercase;display:inline-block;width:5em}
pre{background:#eee;padding:.5em;overflow:auto}
</style></head>
<body><h1 id="title">API reference</h1><p id="desc"></p><div id="ops"></div>
<script>
function esc(s){return String(s).replace(/[&<>]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));}
fetch('/api-docs/openapi.json').then(r=>r.json()).then(doc=>{
  document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
  document.getElementById('desc').textContent = doc.info.description;
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item))
      (byTag[op.tags[0]] = byTag[op.tags[0]] || []).push([method, path, op]);
  let html = '';
  for (const [tag, ops] of Object.entries(byTag)) {
    html += '<h2>' + esc(tag) + '</h2>';
    for (const [method, path, op] of ops) {
      html += '<div class="op"><span class="m">' + esc(method) + '</span><code>' + esc(path) + '</code> ' +
              esc(op.summary) + (op.security && op.security.length ? ' (bearer key)' : '');
      const body = op.requestBody && op.requestBody.content['application/json'].schema.$ref;
      if (body) html += '<pre>' + esc(JSON.stringify(doc.components.schemas[body.split('/').pop()], null, 2)) + '</pre>';
      html += '</div>';
    }
  }
  document.getElementById('ops').innerHTML = html;
});
</script></body></html>
)";

http::Response Html(const char* page) {
  http::Response r;
  r.status = 200;
  r.headers.Set("Content-Type", "text/html; charset=utf-8");
  r.body = page;
  return r;
}

}  // namespace

boost::json::object OpenApiDocument(const http::Site& site) {
  http::OpenApiInfo info;
  info.title = "PiSovereign API";
  info.description = "Local AI Assistant REST API (served by Atrium)";
  info.version = "0.1.0";
  info.server_url = "http://localhost:3000";
  info.schemas = OpenApiSchemas();
  info.bearer_description = "API key authentication";
  // The statuses Protected(), the JSON body reader and the error renderer give.
  info.secured_errors = {{"401", "Unauthorized", "Missing or invalid API key (UNAUTHORIZED)"},
                         {"403", "Forbidden", "The key's owner is banned (FORBIDDEN)"},
                         {"429", "RateLimited", "Too many requests from this address (RATE_LIMITED)"}};
  info.body_errors = {{"400", "BadRequest", "Malformed JSON in the request body (BAD_REQUEST)"},
                      {"413", "PayloadTooLarge", "The request body is too large"},
                      {"415", "UnsupportedMediaType", "The request body is not application/json"},
                      {"422", "ValidationError", "Request validation failed (VALIDATION_ERROR, details.fields)"}};
  info.common_errors = {{"500", "InternalError", "Server error (INTERNAL_ERROR)"},
                        {"503", "ServiceUnavailable", "A source or the server is not available (SERVICE_UNAVAILABLE)"}};
  return http::OpenApiDocument(site.router(), info);
}

void AddOpenApiRoutes(http::Site& site, const Deps& services) {
  site.Add(http::Method::kGet, "/api-docs/openapi.json",
           [&site](http::Request&) -> http::Reply { return http::JsonReply(200, OpenApiDocument(site)); },
           {.blocking = false, .doc = {.summary = "OpenAPI 3.1 document", .tag = "Documentation"}});
  site.Add(http::Method::kGet, "/swagger-ui/", [](http::Request&) -> http::Reply { return Html(kSwaggerPage); },
           {.blocking = false, .doc = {.summary = "Swagger UI", .tag = "Documentation", .response_type = "text/html"}});
  site.Add(http::Method::kGet, "/swagger-ui/{file}",
           [&services](http::Request& req) -> http::Reply {
             const std::string file(req.Param("file").value_or(""));
             const char* type = nullptr;
             if (file == "swagger-ui-bundle.js" || file == "swagger-ui-standalone-preset.js") {
               type = "application/javascript";
             } else if (file == "swagger-ui.css") {
               type = "text/css";
             }
             if (!type) return http::MakeError(http::ErrorKind::kNotFound, "Not found");
             std::ifstream in(services.settings.swagger_ui_dir + "/" + file, std::ios::binary);
             if (!in) return http::MakeError(http::ErrorKind::kNotFound, "swagger-ui assets are not installed");
             std::ostringstream body;
             body << in.rdbuf();
             http::Response r;
             r.status = 200;
             r.headers.Set("Content-Type", type);
             r.headers.Set("Cache-Control", "public, max-age=86400");
             r.body = body.str();
             return r;
           },
           {.doc = {.summary = "Swagger UI assets", .tag = "Documentation", .response_type = "text/plain"}});
  site.Add(http::Method::kGet, "/redoc/", [](http::Request&) -> http::Reply { return Html(kReferencePage); },
           {.blocking = false,
            .doc = {.summary = "API reference page", .tag = "Documentation", .response_type = "text/html"}});
}

}  // namespace atrium::dialects::pisovereign
