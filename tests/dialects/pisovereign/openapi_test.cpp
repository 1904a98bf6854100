// pisovereign's OpenAPI document lists every route its site serves, and the served
// document is the generated one.

#include <boost/json.hpp>
#include <set>

#include "dialects/dialect_harness.hpp"
#include "dialects/pisovereign/pisovereign.hpp"
#include "http/openapi.hpp"

namespace atrium::dialects::pisovereign {
namespace {

TEST(PisovereignOpenApi, EveryRouteOfTheSiteIsDocumented) {
  testing::DialectHarness h{testing::Pisovereign()};
  const auto doc = OpenApiDocument(h.site());
  const auto& paths = doc.at("paths").as_object();
  std::size_t operations = 0;
  for (const auto& [path, item] : paths) operations += item.as_object().size();
  EXPECT_EQ(operations, h.site().router().routes().size());
  for (const http::Route* route : h.site().router().routes()) {
    std::string method(http::MethodName(route->method));
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto path = http::OpenApiPath(route->pattern);
    ASSERT_TRUE(paths.contains(path)) << path;
    EXPECT_TRUE(paths.at(path).as_object().contains(method)) << method << " " << path;
  }
  for (const char* p : {"/v1/commands", "/v1/commands/parse", "/v1/webhooks/whatsapp", "/api-docs/openapi.json",
                        "/health", "/ready", "/ready/all", "/metrics", "/metrics/prometheus", "/v1/system/status",
                        "/v1/system/models", "/swagger-ui", "/redoc"}) {
    EXPECT_TRUE(paths.contains(p)) << p;
  }
  EXPECT_EQ(paths.at("/v1/commands/parse").at("post").at("security"), boost::json::parse(R"([{"bearerAuth":[]}])"));
}

// Resolves a response (or its components/responses reference) to its JSON schema ref.
std::string ErrorSchemaOf(const boost::json::object& doc, const boost::json::value& response) {
  const boost::json::value* r = &response;
  if (const auto* ref = r->as_object().if_contains("$ref")) {
    const std::string name(ref->as_string().subview().substr(std::string_view("#/components/responses/").size()));
    r = &doc.at("components").at("responses").at(name);
  }
  const auto* schema = r->as_object().at("content").at("application/json").as_object().if_contains("schema");
  return schema ? std::string(schema->at("$ref").as_string()) : std::string();
}

// Every operation says what the route really does: bearer security exactly where a
// request without a key is refused with 401, a JSON body wherever one is read, and
// error answers in the Error schema.
TEST(PisovereignOpenApi, EveryOperationDescribesItsSecurityBodyAndErrors) {
  testing::DialectHarness h{testing::Pisovereign()};
  const auto doc = OpenApiDocument(h.site());
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    if (path.starts_with("/test/")) continue;  // the harness's own routes
    for (const auto& [method, op_value] : item.as_object()) {
      const auto& op = op_value.as_object();
      const std::string where = std::string(method) + " " + std::string(path);
      std::string target(path);
      if (const auto brace = target.find('{'); brace != std::string::npos) target = target.substr(0, brace) + "x";
      const auto m = method == "post" ? http::Method::kPost : http::Method::kGet;
      const auto r = h.Send(h.Make(m, target, m == http::Method::kPost ? "{}" : "", "application/json"));
      const bool refused_for_key = r.status == 401 && r.body.find("Invalid or missing API key") != std::string::npos;
      const bool bearer = op.at("security") == boost::json::parse(R"([{"bearerAuth":[]}])");
      EXPECT_EQ(bearer, refused_for_key) << where << ": " << r.status << " " << r.body;
      EXPECT_TRUE(bearer || op.at("security") == boost::json::array{}) << where;
      const auto& responses = op.at("responses").as_object();
      if (bearer) {
        for (const char* status : {"401", "403", "429"}) EXPECT_TRUE(responses.contains(status)) << where << status;
      }
      if (method == "post" || method == "put" || method == "patch") {
        ASSERT_TRUE(op.contains("requestBody")) << where;
        EXPECT_TRUE(op.at("requestBody").at("content").as_object().contains("application/json")) << where;
        for (const char* status : {"400", "422"}) EXPECT_TRUE(responses.contains(status)) << where << status;
      }
      for (const auto& [status, response] : responses) {
        if (status.starts_with("2") || status == "101") continue;
        EXPECT_EQ(ErrorSchemaOf(doc, response), "#/components/schemas/Error") << where << " " << status;
      }
    }
  }
  const auto& chat = doc.at("paths").at("/v1/chat").at("post").as_object();
  EXPECT_EQ(chat.at("requestBody").at("content").at("application/json").at("schema").at("$ref"),
            "#/components/schemas/ChatRequest");
  EXPECT_EQ(chat.at("responses").at("200").at("content").at("application/json").at("schema").at("$ref"),
            "#/components/schemas/ChatResponse");
  EXPECT_EQ(chat.at("responses").at("401").at("$ref"), "#/components/responses/Unauthorized");
  EXPECT_TRUE(doc.at("paths")
                  .at("/v1/chat/stream")
                  .at("post")
                  .at("responses")
                  .at("200")
                  .at("content")
                  .as_object()
                  .contains("text/event-stream"));
}

TEST(PisovereignOpenApi, ServedDocumentIsTheGeneratedOne) {
  testing::DialectHarness h{testing::Pisovereign()};
  const auto r = h.Get("/api-docs/openapi.json");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(boost::json::parse(r.body), boost::json::value(OpenApiDocument(h.site())));
}

TEST(PisovereignOpenApi, DocumentationPagesAreSelfContained) {
  testing::DialectHarness h{testing::Pisovereign()};
  for (const char* page : {"/swagger-ui/", "/redoc/"}) {
    const auto r = h.Get(page);
    EXPECT_EQ(r.status, 200) << page;
    EXPECT_EQ(r.headers.Get("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.body.find("https://"), std::string::npos) << page << " must not load from a CDN";
    EXPECT_NE(r.body.find("/api-docs/openapi.json"), std::string::npos);
  }
  EXPECT_EQ(h.Get("/swagger-ui/../../etc/passwd").status, 404);
  EXPECT_EQ(h.Get("/swagger-ui/index.js").status, 404);
}

}  // namespace
}  // namespace atrium::dialects::pisovereign
