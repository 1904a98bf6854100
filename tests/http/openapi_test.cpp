// The OpenAPI document generated from a route table.

#include "http/openapi.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace atrium::http {
namespace {

Reply Ok(Request&) { return Response::Text(200, "ok", "text/plain"); }

TEST(OpenApi, EveryRouteIsAnOperation) {
  Router router;
  router.Add(Method::kGet, "/health", Ok, {.doc = {.summary = "Liveness", .tag = "Health"}});
  router.Add(Method::kPost, "/v1/items", Ok,
             {.doc = {.tag = "Items", .request_schema = "Item", .response_schema = "Item", .secured = true}});
  router.Add(Method::kGet, "/v1/items/:id", Ok);
  router.Add(Method::kDelete, "/v1/items/{id}/tags/{tag}", Ok);
  OpenApiInfo info{
      "T", "D", "1.0", "http://localhost:1", {{"Error", {{"type", "object"}}}, {"Item", {{"type", "object"}}}}, "key"};
  const auto doc = OpenApiDocument(router, info);
  EXPECT_EQ(doc.at("openapi"), "3.1.0");
  const auto& paths = doc.at("paths").as_object();
  ASSERT_EQ(paths.size(), 4u);
  EXPECT_EQ(paths.at("/health").at("get").at("summary"), "Liveness");
  EXPECT_EQ(paths.at("/health").at("get").at("security"), boost::json::array{});
  const auto& post = paths.at("/v1/items").at("post").as_object();
  EXPECT_EQ(post.at("operationId"), "post_v1_items");
  EXPECT_EQ(post.at("requestBody").at("content").at("application/json").at("schema").at("$ref"),
            "#/components/schemas/Item");
  EXPECT_TRUE(post.at("responses").as_object().contains("401"));
  const auto& get = paths.at("/v1/items/{id}").at("get").as_object();
  EXPECT_EQ(get.at("summary"), "GET /v1/items/{id}");
  EXPECT_EQ(get.at("tags"), boost::json::array{"Other"});
  EXPECT_EQ(get.at("parameters"), boost::json::parse(R"([{"name":"id","in":"path","required":true,
                                                          "schema":{"type":"string"}}])"));
  EXPECT_EQ(paths.at("/v1/items/{id}/tags/{tag}").at("delete").at("parameters").as_array().size(), 2u);
  EXPECT_EQ(doc.at("components").at("securitySchemes").at("bearerAuth").at("scheme"), "bearer");
}

TEST(OpenApi, PathTemplates) {
  EXPECT_EQ(OpenApiPath("/a/:b/c"), "/a/{b}/c");
  EXPECT_EQ(OpenApiPath("/a/{b}"), "/a/{b}");
  EXPECT_EQ(OpenApiPath("/swagger-ui/"), "/swagger-ui");
  EXPECT_EQ(OpenApiPath("/"), "/");
}

}  // namespace
}  // namespace atrium::http
