#include "http/cors_policy.hpp"

#include <gtest/gtest.h>

namespace atrium::http {
namespace {

using Fields = std::vector<Headers::Field>;

constexpr const char* kExposed =
    "X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After";
constexpr const char* kAllowedHeaders = "Authorization, Content-Type, X-Requested-With, X-Request-Id";

Request WithOrigin(Method method, std::string_view origin) {
  Request r;
  r.method = method;
  r.path = "/x";
  if (!origin.empty()) r.headers.Add("Origin", origin);
  return r;
}

Request PreflightRequest(std::string_view origin) {
  Request r = WithOrigin(Method::kOptions, origin);
  r.headers.Add("Access-Control-Request-Method", "POST");
  return r;
}

CorsPolicy Policy(std::vector<std::string> origins, bool credentials = true) {
  CorsOptions o;
  o.allowed_origins = std::move(origins);
  o.allow_credentials = credentials;
  return CorsPolicy(std::move(o));
}

TEST(CorsPolicyTest, NoOriginNoHeaders) {
  const auto policy = Policy({"https://app.example"});
  Response resp = Response::Empty(200);
  policy.Decorate(WithOrigin(Method::kGet, ""), resp);
  EXPECT_TRUE(resp.headers.empty());
}

TEST(CorsPolicyTest, AllowlistedOriginIsEchoedWithCredentialsAndVary) {
  const auto policy = Policy({"https://other.example", "https://app.example"});
  Response resp = Response::Json(200, "{}");
  policy.Decorate(WithOrigin(Method::kGet, "https://app.example"), resp);
  EXPECT_EQ(resp.headers.fields(), (Fields{{"Content-Type", "application/json"},
                                           {"Vary", "Origin"},
                                           {"Access-Control-Allow-Origin", "https://app.example"},
                                           {"Access-Control-Allow-Credentials", "true"},
                                           {"Access-Control-Expose-Headers", kExposed}}));
}

TEST(CorsPolicyTest, UnlistedOriginGetsOnlyVary) {
  const auto policy = Policy({"https://app.example"});
  for (const char* origin :
       {"https://evil.example", "https://app.example/", "HTTPS://APP.EXAMPLE", "https://app.example.evil", "null"}) {
    Response resp = Response::Empty(200);
    policy.Decorate(WithOrigin(Method::kGet, origin), resp);
    EXPECT_EQ(resp.headers.fields(), (Fields{{"Vary", "Origin"}})) << origin;
  }
}

TEST(CorsPolicyTest, EmptyAllowlistAllowsNothing) {
  const auto policy = Policy({});
  Response resp = Response::Empty(200);
  policy.Decorate(WithOrigin(Method::kGet, "https://app.example"), resp);
  EXPECT_EQ(resp.headers.fields(), (Fields{{"Vary", "Origin"}}));
}

TEST(CorsPolicyTest, WildcardNeverCarriesCredentials) {
  const auto policy = Policy({"*"}, /*credentials=*/true);
  Response resp = Response::Empty(200);
  policy.Decorate(WithOrigin(Method::kGet, "https://anyone.example"), resp);
  EXPECT_EQ(resp.headers.Get("Access-Control-Allow-Origin"), "*");
  EXPECT_FALSE(resp.headers.Has("Access-Control-Allow-Credentials"));
  EXPECT_EQ(resp.headers.Get("Vary"), "Origin");

  Response pre = policy.Preflight(PreflightRequest("https://anyone.example"), {Method::kPost});
  EXPECT_EQ(pre.headers.Get("Access-Control-Allow-Origin"), "*");
  EXPECT_FALSE(pre.headers.Has("Access-Control-Allow-Credentials"));
}

TEST(CorsPolicyTest, ExplicitOriginBeatsWildcard) {
  const auto policy = Policy({"*", "https://app.example"});
  Response listed = Response::Empty(200);
  policy.Decorate(WithOrigin(Method::kGet, "https://app.example"), listed);
  EXPECT_EQ(listed.headers.Get("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(listed.headers.Get("Access-Control-Allow-Credentials"), "true");
  Response other = Response::Empty(200);
  policy.Decorate(WithOrigin(Method::kGet, "https://else.example"), other);
  EXPECT_EQ(other.headers.Get("Access-Control-Allow-Origin"), "*");
  EXPECT_FALSE(other.headers.Has("Access-Control-Allow-Credentials"));
}

TEST(CorsPolicyTest, CredentialsCanBeTurnedOff) {
  const auto policy = Policy({"https://app.example"}, /*credentials=*/false);
  Response resp = Response::Empty(200);
  policy.Decorate(WithOrigin(Method::kGet, "https://app.example"), resp);
  EXPECT_EQ(resp.headers.Get("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_FALSE(resp.headers.Has("Access-Control-Allow-Credentials"));
}

TEST(CorsPolicyTest, DecorateReplacesStaleCorsHeaders) {
  const auto policy = Policy({"https://app.example"});
  Response resp = Response::Empty(200);
  resp.headers.Add("access-control-allow-origin", "https://stale.example");
  policy.Decorate(WithOrigin(Method::kGet, "https://app.example"), resp);
  EXPECT_EQ(resp.headers.Get("Access-Control-Allow-Origin"), "https://app.example");
  std::size_t acao = 0;
  for (const auto& [k, v] : resp.headers.fields()) acao += EqualsIgnoreCase(k, "Access-Control-Allow-Origin");
  EXPECT_EQ(acao, 1u);
}

TEST(CorsPolicyTest, IsPreflightNeedsOptionsOriginAndRequestMethod) {
  EXPECT_TRUE(CorsPolicy::IsPreflight(PreflightRequest("https://app.example")));
  EXPECT_FALSE(CorsPolicy::IsPreflight(WithOrigin(Method::kOptions, "https://app.example")));
  Request no_origin = WithOrigin(Method::kOptions, "");
  no_origin.headers.Add("Access-Control-Request-Method", "GET");
  EXPECT_FALSE(CorsPolicy::IsPreflight(no_origin));
  Request get = WithOrigin(Method::kGet, "https://app.example");
  get.headers.Add("Access-Control-Request-Method", "GET");
  EXPECT_FALSE(CorsPolicy::IsPreflight(get));
  Request lower = WithOrigin(Method::kOptions, "");
  lower.headers.Add("origin", "https://app.example");
  lower.headers.Add("access-control-request-method", "PUT");
  EXPECT_TRUE(CorsPolicy::IsPreflight(lower));
}

TEST(CorsPolicyTest, PreflightAnswerForAnAllowedOrigin) {
  const auto policy = Policy({"https://app.example"});
  const Response r =
      policy.Preflight(PreflightRequest("https://app.example"), {Method::kGet, Method::kHead, Method::kPost});
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.headers.fields(), (Fields{{"Vary", "Origin"},
                                        {"Access-Control-Allow-Origin", "https://app.example"},
                                        {"Access-Control-Allow-Credentials", "true"},
                                        {"Access-Control-Allow-Methods", "GET, HEAD, POST"},
                                        {"Access-Control-Allow-Headers", kAllowedHeaders},
                                        {"Access-Control-Max-Age", "600"}}));
}

TEST(CorsPolicyTest, PreflightForAnUnlistedOriginHasNoCorsHeaders) {
  const auto policy = Policy({"https://app.example"});
  const Response r = policy.Preflight(PreflightRequest("https://evil.example"), {Method::kGet});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.headers.fields(), (Fields{{"Vary", "Origin"}}));
}

TEST(CorsPolicyTest, PreflightUsesConfiguredHeadersAndMaxAge) {
  CorsOptions o;
  o.allowed_origins = {"https://app.example"};
  o.allowed_headers = "X-Custom";
  o.max_age_seconds = 5;
  const CorsPolicy policy(o);
  const Response r = policy.Preflight(PreflightRequest("https://app.example"), {Method::kDelete});
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Methods"), "DELETE");
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Headers"), "X-Custom");
  EXPECT_EQ(r.headers.Get("Access-Control-Max-Age"), "5");
}

}  // namespace
}  // namespace atrium::http
