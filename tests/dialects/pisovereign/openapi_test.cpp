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
