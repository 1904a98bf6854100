#include "http/json_body.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace atrium::http {
namespace {

Request JsonRequest(std::string body, std::optional<std::string> content_type = "application/json") {
  Request r;
  r.method = Method::kPost;
  r.path = "/x";
  if (content_type) r.headers.Add("Content-Type", *content_type);
  r.body = std::move(body);
  return r;
}

void ExpectError(const ApiError& e, int status, ErrorKind kind, const std::string& message) {
  EXPECT_EQ(e.status, status);
  EXPECT_EQ(e.kind, kind);
  EXPECT_EQ(e.message, message);
  EXPECT_EQ(e.code, std::nullopt);
  EXPECT_TRUE(e.details.empty());
}

template <class V>
const ApiError& ErrorOf(const V& v) {
  static const ApiError kNone = MakeError(ErrorKind::kInternal, "no error");
  EXPECT_FALSE(v.ok());
  return !v.ok() ? v.error() : kNone;
}

std::string Nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
}

TEST(IsJsonContentTypeTest, Json) {
  for (const char* t : {"application/json", "application/json; charset=utf-8", "Application/JSON",
                        " application/json ;charset=UTF-8", "application/json\t", "application/vnd.x+json",
                        "application/merge-patch+json", "application/problem+json; charset=utf-8"}) {
    EXPECT_TRUE(IsJsonContentType(t)) << t;
  }
}

TEST(IsJsonContentTypeTest, NotJson) {
  for (const char* t : {"", "text/plain", "text/json", "application/jsonx", "application/json-patch",
                        "application/+json", "application/x-www-form-urlencoded", "multipart/form-data", "json",
                        "application/xml", "text/plain+json", "; application/json"}) {
    EXPECT_FALSE(IsJsonContentType(t)) << t;
  }
}

TEST(ParseJsonBodyTest, TextPlainIs415) {
  ExpectError(ErrorOf(ParseJsonBody(JsonRequest("{}", "text/plain"))), 415, ErrorKind::kUnsupportedMediaType,
              "Content-Type must be application/json");
}

TEST(ParseJsonBodyTest, EmptyContentTypeIs415) {
  ExpectError(ErrorOf(ParseJsonBody(JsonRequest("{}", ""))), 415, ErrorKind::kUnsupportedMediaType,
              "Content-Type must be application/json");
}

TEST(ParseJsonBodyTest, EmptyBodyIs400) {
  ExpectError(ErrorOf(ParseJsonBody(JsonRequest(""))), 400, ErrorKind::kInvalidJson, "Request body must be JSON");
}

TEST(ParseJsonBodyTest, MalformedIs400) {
  for (const char* body : {"{", "{\"a\":}", "nul", "{} x", "{\"a\":1,}", "'single'", "\xff", "[1,2"}) {
    ExpectError(ErrorOf(ParseJsonBody(JsonRequest(body))), 400, ErrorKind::kInvalidJson,
                "Malformed JSON in request body");
  }
}

TEST(ParseJsonBodyTest, DepthLimitIs64) {
  EXPECT_TRUE(ParseJsonBody(JsonRequest(Nested(64))).ok());
  ExpectError(ErrorOf(ParseJsonBody(JsonRequest(Nested(65)))), 400, ErrorKind::kInvalidJson,
              "Malformed JSON in request body");
  ExpectError(ErrorOf(ParseJsonBody(JsonRequest(Nested(100000)))), 400, ErrorKind::kInvalidJson,
              "Malformed JSON in request body");
}

TEST(ParseJsonBodyTest, AcceptsAnyJsonValue) {
  for (const char* body : {"1", "\"s\"", "[1,2]", "null", "{\"a\":{\"b\":[true]}}", " \n{}\n "}) {
    auto parsed = ParseJsonBody(JsonRequest(body));
    ASSERT_TRUE(parsed.ok()) << body;
    EXPECT_EQ(*parsed, boost::json::parse(body));
  }
}

TEST(ParseJsonBodyTest, MissingContentTypeIsAccepted) {
  auto parsed = ParseJsonBody(JsonRequest("{\"a\":1}", std::nullopt));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, boost::json::parse("{\"a\":1}"));
}

TEST(ParseJsonObjectTest, ObjectIsReturned) {
  for (const char* type : {"application/json", "application/json; charset=utf-8", "application/vnd.x+json"}) {
    auto parsed = ParseJsonObject(JsonRequest("{\"name\":\"ada\",\"n\":2}", type));
    ASSERT_TRUE(parsed.ok()) << type;
    const auto& o = *parsed;
    EXPECT_EQ(o, boost::json::parse("{\"name\":\"ada\",\"n\":2}").as_object());
  }
}

TEST(ParseJsonObjectTest, NonObjectIs400) {
  for (const char* body : {"[1]", "1", "\"s\"", "null", "true"}) {
    ExpectError(ErrorOf(ParseJsonObject(JsonRequest(body))), 400, ErrorKind::kInvalidJson,
                "Request body must be a JSON object");
  }
}

TEST(ParseJsonObjectTest, PassesParseErrorsThrough) {
  ExpectError(ErrorOf(ParseJsonObject(JsonRequest("{}", "text/plain"))), 415, ErrorKind::kUnsupportedMediaType,
              "Content-Type must be application/json");
  ExpectError(ErrorOf(ParseJsonObject(JsonRequest(""))), 400, ErrorKind::kInvalidJson, "Request body must be JSON");
  ExpectError(ErrorOf(ParseJsonObject(JsonRequest("{"))), 400, ErrorKind::kInvalidJson,
              "Malformed JSON in request body");
}

TEST(JsonReplyTest, SerializesWithContentType) {
  const Response r = JsonReply(201, {{"ok", true}, {"n", 3}});
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(boost::json::parse(r.body), boost::json::parse(R"({"ok":true,"n":3})"));
}

}  // namespace
}  // namespace atrium::http

namespace atrium::http {
namespace {

TEST(ParseJsonBodyFiniteTest, OverflowingNumbersAreRefused) {
  for (const char* body : {R"({"x":1e400})", R"([1, [2, -1e999]])", R"({"a":{"b":0e400}})"}) {
    Request req;
    req.headers.Set("Content-Type", "application/json");
    req.body = body;
    auto parsed = ParseJsonBody(req);
    ASSERT_FALSE(parsed.ok()) << body;
    const auto& e = parsed.error();
    EXPECT_EQ(e.kind, ErrorKind::kInvalidJson);
    EXPECT_EQ(e.message, "JSON numbers must be finite");
  }
}

TEST(JsonReplyTest, DoublesArePlain) {
  EXPECT_EQ(JsonReply(200, boost::json::object{{"t", 0.7}, {"n", 3}, {"w", 2.0}}).body, R"({"t":0.7,"n":3,"w":2.0})");
}

}  // namespace
}  // namespace atrium::http
