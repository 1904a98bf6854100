#include "http/site.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "http/json_body.hpp"
#include "support/fakes.hpp"

namespace atrium::http {
namespace {

using Counts = std::array<std::uint64_t, core::metrics::kStatusClasses>;
constexpr const char* kFirstUuid = "00010203-0405-4607-8809-0a0b0c0d0e0f";

std::string_view KindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorKind::kInternal:
      return "internal";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kPayloadTooLarge:
      return "payload_too_large";
    default:
      return "other";
  }
}

// The smallest dialect: errors as {"kind", "message", "request_id"[, "code", "details"]}.
class TestRenderer final : public ErrorRenderer {
 public:
  Response Render(const ApiError& error, const Request& request) const override {
    boost::json::object body{
        {"kind", KindName(error.kind)}, {"message", error.message}, {"request_id", request.request_id}};
    if (error.code) body["code"] = *error.code;
    if (!error.details.empty()) body["details"] = error.details;
    return JsonReply(error.status, body);
  }
};

class SiteTest : public ::testing::Test {
 protected:
  SiteTest() {
    CorsOptions cors;
    cors.allowed_origins = {"https://app.example"};
    site_ = std::make_unique<Site>("test", std::make_unique<TestRenderer>(), cors, SiteDeps{metrics_, clock_, random_},
                                   1024);
    stats_ = metrics_.Dialect("test");

    site_->Add(Method::kGet, "/items/{id}", [this](Request& req) -> Reply {
      active_in_handler_ = stats_->active_requests.load();
      clock_.Advance(std::chrono::milliseconds{3});  // the request takes 3 ms
      return JsonReply(200, {{"id", *req.Param("id")}});
    });
    site_->Add(Method::kPost, "/items",
               [](Request& req) -> Reply {
                 auto body = ParseJsonObject(req);
                 if (!body) return std::move(body).error();
                 return JsonReply(201, *body);
               },
               {.body_limit = 10});
    site_->Add(Method::kGet, "/throw", [](Request&) -> Reply { throw std::runtime_error("secret detail"); });
    site_->Add(Method::kGet, "/throw-int", [](Request&) -> Reply { throw 42; });
    site_->Add(Method::kGet, "/conflict", [](Request&) -> Reply {
      ApiError e = MakeError(ErrorKind::kConflict, "already there");
      e.code = "dup_name";
      e.details["field"] = "name";
      return e;
    });
    site_->Add(Method::kGet, "/things", [](Request&) -> Reply { return Response::Empty(204); }, {.blocking = false});
    site_->Add(Method::kDelete, "/things", [](Request&) -> Reply { return Response::Empty(204); });
    site_->Add(Method::kGet, "/limited", [](Request&) -> Reply {
      ApiError e = MakeError(ErrorKind::kRateLimited, "slow down");
      e.headers.Set("Retry-After", "7");
      e.headers.Set("X-RateLimit-Remaining", "0");
      return e;
    });
    site_->Add(Method::kGet, "/versioned", [](Request&) -> Reply {
      Response r = Response::Empty(200);
      r.headers.Set("X-API-Version", "handler");
      return r;
    });
  }

  Request MakeRequest(Method method, std::string_view target) {
    Request req;
    req.method = method;
    req.method_text = std::string(MethodName(method));
    req.target = std::string(target);
    const auto q = target.find('?');
    req.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
    req.received_at = clock_.Steady();
    return req;
  }

  Response Send(Request req, std::string_view incoming_id = {}) {
    site_->Begin(req, incoming_id);
    const RouteMatch match = site_->Match(req);
    return site_->Handle(req, match);
  }
  Response Send(Method method, std::string_view target, std::string_view incoming_id = {}) {
    return Send(MakeRequest(method, target), incoming_id);
  }

  static boost::json::value Body(const Response& r) { return boost::json::parse(r.body); }

  testing::FakeClock clock_;
  testing::FakeRandom random_;
  core::metrics::RequestMetrics metrics_;
  std::unique_ptr<Site> site_;
  core::metrics::DialectStats* stats_ = nullptr;
  std::int64_t active_in_handler_ = -1;
};

TEST_F(SiteTest, UnknownPathIs404InTheDialectShape) {
  const Response r = Send(Method::kGet, "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(Body(r), boost::json::parse(R"({"kind":"not_found","message":"Not found","request_id":")" +
                                        std::string(kFirstUuid) + R"("})"));
  EXPECT_EQ(r.headers.Get("X-Request-Id"), kFirstUuid);
}

TEST_F(SiteTest, SaneIncomingRequestIdIsEchoedInsaneReplaced) {
  EXPECT_EQ(Send(Method::kGet, "/things", "trace-1").headers.Get("X-Request-Id"), "trace-1");
  EXPECT_EQ(random_.calls(), 0);
  EXPECT_EQ(Send(Method::kGet, "/things", "bad id\r\nX: y").headers.Get("X-Request-Id"), kFirstUuid);
  EXPECT_EQ(Send(Method::kGet, "/things", std::string(129, 'a')).headers.Get("X-Request-Id"),
            "10111213-1415-4617-9819-1a1b1c1d1e1f");
}

TEST_F(SiteTest, WrongMethodIs405WithAllow) {
  const Response r = Send(Method::kPost, "/items/5", "rid");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.Get("Allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(Body(r),
            boost::json::parse(R"({"kind":"method_not_allowed","message":"Method not allowed","request_id":"rid"})"));

  EXPECT_EQ(Send(Method::kGet, "/items").headers.Get("Allow"), "POST, OPTIONS");
  EXPECT_EQ(Send(Method::kPut, "/things").headers.Get("Allow"), "GET, DELETE, HEAD, OPTIONS");
  EXPECT_EQ(Send(Method::kOther, "/things").status, 405);
}

TEST_F(SiteTest, OptionsWithoutPreflightIs204WithAllow) {
  const Response r = Send(Method::kOptions, "/items/5");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.headers.Get("Allow"), "GET, HEAD, OPTIONS");
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.headers.Get("X-Request-Id"), kFirstUuid);
  EXPECT_FALSE(r.headers.Has("Access-Control-Allow-Origin"));
}

TEST_F(SiteTest, CorsPreflightForAKnownPath) {
  Request req = MakeRequest(Method::kOptions, "/items/5");
  req.headers.Add("Origin", "https://app.example");
  req.headers.Add("Access-Control-Request-Method", "GET");
  const Response r = Send(std::move(req));
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.headers.Has("Allow"));
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Methods"), "GET, HEAD");
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Headers"),
            "Authorization, Content-Type, X-Requested-With, X-Request-Id");
  EXPECT_EQ(r.headers.Get("Access-Control-Max-Age"), "600");
  EXPECT_EQ(r.headers.Get("Vary"), "Origin");
  EXPECT_EQ(r.headers.Get("X-Request-Id"), kFirstUuid);
}

TEST_F(SiteTest, CorsPreflightForAnUnknownPathIs404) {
  Request req = MakeRequest(Method::kOptions, "/nope");
  req.headers.Add("Origin", "https://app.example");
  req.headers.Add("Access-Control-Request-Method", "GET");
  const Response r = Send(std::move(req));
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(r.headers.Has("Access-Control-Allow-Methods"));
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Origin"), "https://app.example");  // errors are readable too
}

TEST_F(SiteTest, OrdinaryResponsesCarryCorsHeadersForAllowedOrigins) {
  Request allowed = MakeRequest(Method::kGet, "/items/1");
  allowed.headers.Add("Origin", "https://app.example");
  const Response a = Send(std::move(allowed));
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers.Get("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(a.headers.Get("Access-Control-Allow-Credentials"), "true");

  Request other = MakeRequest(Method::kGet, "/items/1");
  other.headers.Add("Origin", "https://evil.example");
  const Response b = Send(std::move(other));
  EXPECT_EQ(b.status, 200);
  EXPECT_FALSE(b.headers.Has("Access-Control-Allow-Origin"));
  EXPECT_EQ(b.headers.Get("Vary"), "Origin");
}

TEST_F(SiteTest, ThrowingHandlerIs500WithoutLeakingTheException) {
  for (const char* path : {"/throw", "/throw-int"}) {
    const Response r = Send(Method::kGet, path, "rid");
    EXPECT_EQ(r.status, 500) << path;
    EXPECT_EQ(Body(r),
              boost::json::parse(R"({"kind":"internal","message":"Internal server error","request_id":"rid"})"))
        << path;
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
    for (const auto& [k, v] : r.headers.fields()) EXPECT_EQ(v.find("secret"), std::string::npos) << k;
  }
  EXPECT_EQ(stats_->active_requests.load(), 0);
  EXPECT_EQ(metrics_.Route("test", "GET", "/throw")->StatusCounts(), (Counts{0, 0, 0, 0, 1}));
}

TEST_F(SiteTest, ApiErrorReplyIsRendered) {
  const Response r = Send(Method::kGet, "/conflict", "rid");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(
      Body(r),
      boost::json::parse(
          R"({"kind":"conflict","message":"already there","request_id":"rid","code":"dup_name","details":{"field":"name"}})"));
}

TEST_F(SiteTest, JsonHandlerErrorsAreRendered) {
  Request text = MakeRequest(Method::kPost, "/items");
  text.headers.Add("Content-Type", "text/plain");
  text.body = "{}";
  Response r = Send(std::move(text), "rid");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(Body(r), boost::json::parse(
                         R"({"kind":"other","message":"Content-Type must be application/json","request_id":"rid"})"));

  Request ok = MakeRequest(Method::kPost, "/items");
  ok.headers.Add("Content-Type", "application/json");
  ok.body = R"({"a":1})";
  r = Send(std::move(ok));
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(Body(r), boost::json::parse(R"({"a":1})"));
}

TEST_F(SiteTest, PathParametersArePercentDecoded) {
  const Response r = Send(Method::kGet, "/items/a%20b%2Fc+d");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Body(r), boost::json::parse(R"({"id":"a b/c+d"})"));
}

TEST_F(SiteTest, HeadUsesTheGetHandler) {
  const Response r = Send(Method::kHead, "/items/9");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Body(r), boost::json::parse(R"({"id":"9"})"));  // the transport drops the body
  EXPECT_EQ(metrics_.Route("test", "GET", "/items/{id}")->StatusCounts(), (Counts{0, 1, 0, 0, 0}));
}

TEST_F(SiteTest, DefaultHeadersUnlessTheHandlerSetOne) {
  site_->AddDefaultHeader("X-API-Version", "1.0.0");
  EXPECT_EQ(Send(Method::kGet, "/things").headers.Get("X-API-Version"), "1.0.0");
  EXPECT_EQ(Send(Method::kGet, "/nope").headers.Get("X-API-Version"), "1.0.0");
  const Response own = Send(Method::kGet, "/versioned");
  EXPECT_EQ(own.headers.Get("X-API-Version"), "handler");
  std::size_t n = 0;
  for (const auto& [k, v] : own.headers.fields()) n += EqualsIgnoreCase(k, "X-API-Version");
  EXPECT_EQ(n, 1u);
}

TEST_F(SiteTest, MetricsCountStatusClassesAndLatency) {
  EXPECT_EQ(Send(Method::kGet, "/items/1").status, 200);
  EXPECT_EQ(active_in_handler_, 1);
  EXPECT_EQ(Send(Method::kGet, "/items/2").status, 200);
  EXPECT_EQ(Send(Method::kGet, "/conflict").status, 409);
  EXPECT_EQ(Send(Method::kGet, "/nope").status, 404);
  EXPECT_EQ(Send(Method::kPost, "/items/3").status, 405);
  EXPECT_EQ(Send(Method::kGet, "/throw").status, 500);

  auto* items = metrics_.Route("test", "GET", "/items/{id}");
  EXPECT_EQ(items->StatusCounts(), (Counts{0, 2, 0, 0, 0}));
  const auto latency = items->Latency();
  EXPECT_EQ(latency.count, 2u);
  EXPECT_EQ(latency.counts[2], 2u);  // 3 ms each: the (2, 5] bucket
  EXPECT_DOUBLE_EQ(latency.sum_ms, 6.0);
  EXPECT_EQ(metrics_.Route("test", "GET", "/conflict")->StatusCounts(), (Counts{0, 0, 0, 1, 0}));
  // 404 and 405 have no route: they count as unmatched.
  EXPECT_EQ(stats_->unmatched.StatusCounts(), (Counts{0, 0, 0, 2, 0}));
  EXPECT_EQ(stats_->active_requests.load(), 0);
  const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(clock_.Steady().time_since_epoch()).count();
  EXPECT_EQ(stats_->rate.LastMinute(now_s), 6u);
}

TEST_F(SiteTest, FailRendersRecordsAndBalancesActiveRequests) {
  Request req = MakeRequest(Method::kPost, "/items");
  site_->Begin(req, "rid");
  EXPECT_EQ(stats_->active_requests.load(), 1);
  const Response r = site_->Fail(req, MakeError(ErrorKind::kPayloadTooLarge, "Request body exceeds 10 bytes"));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(Body(r),
            boost::json::parse(
                R"({"kind":"payload_too_large","message":"Request body exceeds 10 bytes","request_id":"rid"})"));
  EXPECT_EQ(r.headers.Get("X-Request-Id"), "rid");
  EXPECT_EQ(stats_->active_requests.load(), 0);
  EXPECT_EQ(stats_->unmatched.StatusCounts(), (Counts{0, 0, 0, 1, 0}));
  EXPECT_EQ(metrics_.Route("test", "POST", "/items")->StatusCounts(), (Counts{0, 0, 0, 0, 0}));
}

TEST_F(SiteTest, BodyLimitAndBlocking) {
  const RouteMatch items = site_->Match(MakeRequest(Method::kPost, "/items"));
  EXPECT_EQ(site_->BodyLimit(items), 10u);
  EXPECT_TRUE(Site::Blocks(items));
  const RouteMatch things = site_->Match(MakeRequest(Method::kGet, "/things"));
  EXPECT_EQ(site_->BodyLimit(things), 1024u);
  EXPECT_FALSE(Site::Blocks(things));
  const RouteMatch none = site_->Match(MakeRequest(Method::kGet, "/nope"));
  EXPECT_EQ(site_->BodyLimit(none), 1024u);
  EXPECT_FALSE(Site::Blocks(none));
}

TEST_F(SiteTest, NameRouterAndRendererAreExposed) {
  EXPECT_EQ(site_->name(), "test");
  EXPECT_EQ(site_->router().routes().size(), 9u);
  const Response r = site_->renderer().Render(MakeError(ErrorKind::kNotFound, "x"), Request{});
  EXPECT_EQ(r.status, 404);
}

TEST_F(SiteTest, ErrorHeadersReachTheRenderedResponse) {
  const Response r = Send(Method::kGet, "/limited", "rid");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.Get("Retry-After"), "7");
  EXPECT_EQ(r.headers.Get("X-RateLimit-Remaining"), "0");
  EXPECT_EQ(Body(r), boost::json::parse(R"({"kind":"other","message":"slow down","request_id":"rid"})"));
}

TEST_F(SiteTest, BeginFindsTheClientAddress) {
  Request direct = MakeRequest(Method::kGet, "/things");
  direct.remote_address = "10.0.0.1";
  direct.headers.Add("X-Forwarded-For", "198.51.100.1");
  site_->Begin(direct, {});
  EXPECT_EQ(direct.client_address, "10.0.0.1");  // no trusted proxies yet: the header is ignored
  (void)site_->Handle(direct, site_->Match(direct));

  site_->SetTrustedProxies({"10.0.0.1"});
  Request proxied = MakeRequest(Method::kGet, "/things");
  proxied.remote_address = "10.0.0.1";
  proxied.headers.Add("X-Forwarded-For", "198.51.100.1");
  site_->Begin(proxied, {});
  EXPECT_EQ(proxied.client_address, "198.51.100.1");
  (void)site_->Handle(proxied, site_->Match(proxied));
  EXPECT_EQ(stats_->active_requests.load(), 0);
}

TEST_F(SiteTest, ManyThreadsShareOneSite) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this] {
      for (int i = 0; i < 200; ++i) {
        Request req = MakeRequest(Method::kGet, "/things");
        site_->Begin(req, "rid");
        const RouteMatch m = site_->Match(req);
        EXPECT_EQ(site_->Handle(req, m).status, 204);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(metrics_.Route("test", "GET", "/things")->StatusCounts(), (Counts{0, 800, 0, 0, 0}));
  EXPECT_EQ(stats_->active_requests.load(), 0);
}

}  // namespace
}  // namespace atrium::http
