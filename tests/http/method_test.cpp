#include "http/method.hpp"

#include <gtest/gtest.h>

#include "http/response.hpp"

namespace atrium::http {
namespace {

TEST(MethodTest, ParseAndNameRoundTrip) {
  for (Method m :
       {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch, Method::kDelete, Method::kOptions}) {
    EXPECT_EQ(ParseMethod(MethodName(m)), m) << MethodName(m);
  }
}

TEST(MethodTest, UnknownAndWrongCaseAreOther) {
  for (const char* text : {"get", "Get", "TRACE", "CONNECT", "", "GET ", "PROPFIND"}) {
    EXPECT_EQ(ParseMethod(text), Method::kOther) << text;
  }
  EXPECT_EQ(MethodName(Method::kOther), "OTHER");
}

TEST(ResponseTest, Factories) {
  const Response json = Response::Json(201, "{}");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.headers.Get("content-type"), "application/json");
  EXPECT_EQ(json.body, "{}");

  const Response text = Response::Text(200, "hi", "text/plain; charset=utf-8");
  EXPECT_EQ(text.headers.Get("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(text.body, "hi");

  const Response empty = Response::Empty(204);
  EXPECT_EQ(empty.status, 204);
  EXPECT_TRUE(empty.headers.empty());
  EXPECT_TRUE(empty.body.empty());
}

}  // namespace
}  // namespace atrium::http
