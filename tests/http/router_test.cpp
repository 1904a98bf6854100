#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace atrium::http {
namespace {

Handler Noop() {
  return [](Request&) -> Reply { return Response::Empty(204); };
}

std::vector<std::string_view> Split(std::string_view path, bool* ok = nullptr) {
  std::vector<std::string_view> segments{"stale"};
  const bool result = SplitPath(path, segments);
  if (ok != nullptr) *ok = result;
  return segments;
}

using Segments = std::vector<std::string_view>;
using Methods = std::vector<Method>;
using Values = std::vector<std::string>;

TEST(SplitPathTest, SplitsSegments) {
  bool ok = false;
  EXPECT_EQ(Split("/api/logs", &ok), (Segments{"api", "logs"}));
  EXPECT_TRUE(ok);
  EXPECT_EQ(Split("/a", &ok), (Segments{"a"}));
  EXPECT_TRUE(ok);
}

TEST(SplitPathTest, RootHasNoSegments) {
  bool ok = false;
  EXPECT_EQ(Split("/", &ok), Segments{});
  EXPECT_TRUE(ok);
}

TEST(SplitPathTest, IgnoresOneTrailingSlash) {
  bool ok = false;
  EXPECT_EQ(Split("/api/logs/", &ok), (Segments{"api", "logs"}));
  EXPECT_TRUE(ok);
  Split("/api/logs//", &ok);
  EXPECT_FALSE(ok);
}

TEST(SplitPathTest, RejectsEmptySegmentsAndRelativePaths) {
  bool ok = true;
  for (std::string_view bad : {"", "api/logs", "a", "/api//logs", "//api", "//", "?x=1", " /a"}) {
    Split(bad, &ok);
    EXPECT_FALSE(ok) << "'" << bad << "'";
  }
}

TEST(SplitPathTest, KeepsEncodedBytesRaw) { EXPECT_EQ(Split("/files/a%2Fb/%20"), (Segments{"files", "a%2Fb", "%20"})); }

class RouterTest : public ::testing::Test {
 protected:
  const Route* Add(Method m, std::string_view pattern) { return &router_.Add(m, pattern, Noop()); }
  Router router_;
};

TEST_F(RouterTest, LiteralBeatsParameterWhateverTheRegistrationOrder) {
  const Route* by_id = Add(Method::kGet, "/api/curricula/{id}");
  const Route* archived = Add(Method::kGet, "/api/curricula/archived");

  auto m = router_.Find(Method::kGet, "/api/curricula/archived");
  EXPECT_EQ(m.route, archived);
  EXPECT_TRUE(m.values.empty());

  m = router_.Find(Method::kGet, "/api/curricula/42");
  EXPECT_EQ(m.route, by_id);
  EXPECT_EQ(m.values, Values{"42"});
  EXPECT_EQ(by_id->param_names, (std::vector<std::string>{"id"}));

  Router reversed;
  const Route& archived2 = reversed.Add(Method::kGet, "/api/curricula/archived", Noop());
  const Route& by_id2 = reversed.Add(Method::kGet, "/api/curricula/{id}", Noop());
  EXPECT_EQ(reversed.Find(Method::kGet, "/api/curricula/archived").route, &archived2);
  EXPECT_EQ(reversed.Find(Method::kGet, "/api/curricula/7").route, &by_id2);
}

TEST_F(RouterTest, ColonAndBraceParameters) {
  const Route* colon = Add(Method::kGet, "/users/:user/posts/:post");
  const Route* brace = Add(Method::kGet, "/teams/{team}/members/{member}");
  auto m = router_.Find(Method::kGet, "/users/7/posts/9");
  EXPECT_EQ(m.route, colon);
  EXPECT_EQ(m.values, (Values{"7", "9"}));
  EXPECT_EQ(colon->param_names, (std::vector<std::string>{"user", "post"}));
  m = router_.Find(Method::kGet, "/teams/red/members/ann");
  EXPECT_EQ(m.route, brace);
  EXPECT_EQ(m.values, (Values{"red", "ann"}));
  EXPECT_EQ(brace->param_names, (std::vector<std::string>{"team", "member"}));
}

TEST_F(RouterTest, ParameterValuesStayPercentEncoded) {
  Add(Method::kGet, "/files/{name}");
  EXPECT_EQ(router_.Find(Method::kGet, "/files/a%2Fb%20c").values, Values{"a%2Fb%20c"});
}

TEST_F(RouterTest, BacktracksFromADeadEndLiteral) {
  const Route* literal = Add(Method::kGet, "/a/b/c");
  const Route* param = Add(Method::kGet, "/a/{x}/d");
  auto m = router_.Find(Method::kGet, "/a/b/d");
  EXPECT_EQ(m.route, param);
  EXPECT_EQ(m.values, Values{"b"});
  m = router_.Find(Method::kGet, "/a/b/c");
  EXPECT_EQ(m.route, literal);
  EXPECT_TRUE(m.values.empty());
}

TEST_F(RouterTest, BacktrackingDropsValuesOfAbandonedBranches) {
  Add(Method::kGet, "/a/{x}/c");
  const Route* target = Add(Method::kGet, "/{y}/b/d");
  // "/a/{x}" is tried first and captures "b" before failing at "d": that value must not
  // survive into the match found through the parameter branch at the root.
  const auto m = router_.Find(Method::kGet, "/a/b/d");
  EXPECT_EQ(m.route, target);
  EXPECT_EQ(m.values, Values{"a"});
}

TEST_F(RouterTest, TrailingSlashIgnoredOnBothSides) {
  const Route* health = Add(Method::kGet, "/health/");
  const Route* logs = Add(Method::kGet, "/api/logs");
  EXPECT_EQ(router_.Find(Method::kGet, "/health").route, health);
  EXPECT_EQ(router_.Find(Method::kGet, "/health/").route, health);
  EXPECT_EQ(router_.Find(Method::kGet, "/api/logs/").route, logs);
  EXPECT_THROW(Add(Method::kGet, "/health"), std::invalid_argument);  // the same route
}

TEST_F(RouterTest, RootRoute) {
  const Route* root = Add(Method::kGet, "/");
  EXPECT_EQ(router_.Find(Method::kGet, "/").route, root);
  EXPECT_EQ(router_.Find(Method::kGet, "/x").route, nullptr);
}

TEST_F(RouterTest, EmptySegmentsAndRelativePathsMiss) {
  Add(Method::kGet, "/api/health");
  Add(Method::kGet, "/api/{x}/y");
  for (std::string_view path : {"/api//health", "api/health", "", "/api/health//", "//api/health", "/api//y"}) {
    const auto m = router_.Find(Method::kGet, path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_FALSE(m.path_found) << path;
    EXPECT_TRUE(m.allowed.empty()) << path;
    EXPECT_TRUE(m.values.empty()) << path;
  }
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  Add(Method::kGet, "/api/{id}");
  const auto m = router_.Find(Method::kGet, "/api/1/extra");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.path_found);
  EXPECT_TRUE(m.values.empty());
}

TEST_F(RouterTest, WrongMethodReportsPathFoundAndAllowedMethods) {
  Add(Method::kPost, "/items/{id}");
  Add(Method::kGet, "/items/{id}");
  const auto m = router_.Find(Method::kDelete, "/items/3");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_found);
  EXPECT_EQ(m.allowed, (Methods{Method::kPost, Method::kGet, Method::kHead}));
}

TEST_F(RouterTest, NoHeadWithoutGet) {
  Add(Method::kPost, "/login");
  Add(Method::kDelete, "/login");
  const auto m = router_.Find(Method::kPut, "/login");
  EXPECT_TRUE(m.path_found);
  EXPECT_EQ(m.allowed, (Methods{Method::kPost, Method::kDelete}));
  EXPECT_EQ(router_.Find(Method::kHead, "/login").route, nullptr);
}

TEST_F(RouterTest, HeadFallsBackToGet) {
  const Route* get = Add(Method::kGet, "/health");
  auto m = router_.Find(Method::kHead, "/health");
  EXPECT_EQ(m.route, get);
  EXPECT_TRUE(m.path_found);

  const Route* head = Add(Method::kHead, "/status");
  Add(Method::kGet, "/status");
  EXPECT_EQ(router_.Find(Method::kHead, "/status").route, head);  // an explicit HEAD route wins
}

TEST_F(RouterTest, OtherMethodMatchesNothingButFindsThePath) {
  Add(Method::kGet, "/x");
  const auto m = router_.Find(Method::kOther, "/x");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_found);
  EXPECT_EQ(m.allowed, (Methods{Method::kGet, Method::kHead}));
}

TEST_F(RouterTest, DuplicateRouteThrows) {
  Add(Method::kGet, "/users/{id}");
  try {
    Add(Method::kGet, "/users/{id}");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "duplicate route: /users/{id}");
  }
  // Parameter names do not make routes different: the shapes are the same.
  EXPECT_THROW(Add(Method::kGet, "/users/:name"), std::invalid_argument);
  EXPECT_NO_THROW(Add(Method::kPost, "/users/{id}"));
}

TEST_F(RouterTest, MalformedPatternThrows) {
  for (std::string_view bad : {"", "users", "/a//b", "//a", "/a/b//"}) {
    try {
      Add(Method::kGet, bad);
      ADD_FAILURE() << "no exception for '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), "bad route pattern: " + std::string(bad));
    }
  }
}

TEST_F(RouterTest, RoutesInRegistrationOrder) {
  const Route* a = Add(Method::kGet, "/b");
  const Route* b = Add(Method::kPost, "/a");
  const Route* c = Add(Method::kGet, "/a/{x}");
  EXPECT_EQ(router_.routes(), (std::vector<const Route*>{a, b, c}));
  EXPECT_EQ(c->method, Method::kGet);
  EXPECT_EQ(c->pattern, "/a/{x}");
}

TEST_F(RouterTest, RouteKeepsOptions) {
  const Route& r = router_.Add(Method::kPost, "/upload", Noop(), {.body_limit = 123, .blocking = false});
  EXPECT_EQ(r.options.body_limit, 123u);
  EXPECT_FALSE(r.options.blocking);
  EXPECT_EQ(router_.Find(Method::kPost, "/upload").route->options.body_limit, 123u);
}

TEST_F(RouterTest, MovedRouterStillMatches) {
  const Route* r = Add(Method::kGet, "/x/{y}");
  Router moved = std::move(router_);
  EXPECT_EQ(moved.Find(Method::kGet, "/x/1").route, r);
}

TEST_F(RouterTest, HostileInputsNeverThrow) {
  Add(Method::kGet, "/api/{a}/{b}");
  Add(Method::kGet, "/api/x/y");
  Add(Method::kPost, "/");
  std::vector<std::string> inputs = {
      std::string(100000, '/'),
      "/" + std::string(100000, 'a'),
      std::string(1, '\0'),
      std::string("/api/\0/\0", 8),
      "/%",
      "/%%",
      "/%zz",
      "/%00",
      "/..",
      "/../../etc/passwd",
      "/api/x/y/z/w",
      "/api/\xff\xfe/\x80",
      "*",
      "http://host/api/x/y",
      "/api/x/y?q=1#frag",
  };
  std::string many = "/api";
  for (int i = 0; i < 20000; ++i) many += "/x";
  inputs.push_back(many);
  for (const auto& path : inputs) {
    for (Method m : {Method::kGet, Method::kHead, Method::kOther, Method::kOptions}) {
      EXPECT_NO_THROW((void)router_.Find(m, path));
    }
  }
  EXPECT_EQ(router_.Find(Method::kGet, many).route, nullptr);
  EXPECT_FALSE(router_.Find(Method::kGet, std::string(100000, '/')).path_found);
  // A literal segment may contain any byte: the query is not split off by the router.
  EXPECT_EQ(router_.Find(Method::kGet, "/api/x/y?q=1").values, (Values{"x", "y?q=1"}));
}

}  // namespace
}  // namespace atrium::http

namespace atrium::http {
namespace {

TEST(RouterMethodFirstTest, ParamRouteServesTheMethodWhenALiteralBranchDoesNot) {
  Router router;
  auto ok = [](Request&) -> Reply { return Response{}; };
  router.Add(Method::kGet, "/api/chat/:conversation_id/messages", ok);
  router.Add(Method::kDelete, "/api/chat/messages/:id", ok);
  const auto get = router.Find(Method::kGet, "/api/chat/messages/messages");
  ASSERT_NE(get.route, nullptr);
  EXPECT_EQ(get.route->pattern, "/api/chat/:conversation_id/messages");
  EXPECT_EQ(get.values, (std::vector<std::string>{"messages"}));
  const auto del = router.Find(Method::kDelete, "/api/chat/messages/messages");
  ASSERT_NE(del.route, nullptr);
  EXPECT_EQ(del.route->pattern, "/api/chat/messages/:id");
  // No route serves PUT: the 405 lists every method served at this path.
  const auto put = router.Find(Method::kPut, "/api/chat/messages/messages");
  EXPECT_EQ(put.route, nullptr);
  EXPECT_TRUE(put.path_found);
  EXPECT_EQ(put.allowed, (std::vector<Method>{Method::kDelete, Method::kGet, Method::kHead}));
}

}  // namespace
}  // namespace atrium::http
