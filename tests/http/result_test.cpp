#include "http/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace atrium::http {
namespace {

TEST(HttpResultTest, HoldsValue) {
  Result<std::string> r(std::string("hello"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), "hello");
  EXPECT_EQ(*r, "hello");
  EXPECT_EQ(r->size(), 5u);
  r.value() += "!";
  EXPECT_EQ(*r, "hello!");
}

TEST(HttpResultTest, HoldsError) {
  ApiError e = MakeError(ErrorKind::kBadRequest, "limit must be an integer from 1 to 100");
  e.details["parameter"] = "limit";
  const Result<int> r(std::move(e));
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(r.error().kind, ErrorKind::kBadRequest);
  EXPECT_EQ(r.error().message, "limit must be an integer from 1 to 100");
  EXPECT_EQ(r.error().details.at("parameter"), "limit");
}

TEST(HttpResultTest, RvalueErrorMovesTheErrorOut) {
  Result<int> r(MakeError(ErrorKind::kValidation, std::string(64, 'x')));
  const char* before = r.error().message.data();
  ApiError moved = std::move(r).error();
  EXPECT_EQ(moved.message, std::string(64, 'x'));
  EXPECT_EQ(moved.message.data(), before);  // the buffer changed owner, nothing was copied
  static_assert(std::is_same_v<decltype(std::move(r).error()), ApiError&&>);
  static_assert(std::is_same_v<decltype(r.error()), const ApiError&>);
}

TEST(HttpResultTest, MovesOutMoveOnlyValue) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(42));
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 42);

  Result<std::unique_ptr<int>> s(std::make_unique<int>(7));
  std::unique_ptr<int> q = *std::move(s);
  EXPECT_EQ(*q, 7);
}

// What a function returning Result<T> may write after `return`.
Result<std::string> Greeting(bool fail) {
  if (fail) return MakeError(ErrorKind::kNotFound, "no greeting");
  return "hello";  // converts through std::string
}

Result<std::optional<int>> Maybe(int n) {
  if (n < 0) return MakeError(ErrorKind::kBadRequest, "negative");
  if (n == 0) return std::nullopt;
  return n;
}

TEST(HttpResultTest, ReturnStatementsConvertLikeThePlainValue) {
  EXPECT_EQ(*Greeting(false), "hello");
  EXPECT_EQ(Greeting(true).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(*Maybe(0), std::nullopt);
  EXPECT_EQ(*Maybe(3), 3);
  EXPECT_EQ(Maybe(-1).error().message, "negative");
}

TEST(HttpResultTest, ConversionsAreImplicitOnlyWhereTheValueTypeIsImplicit) {
  static_assert(std::is_convertible_v<const char*, Result<std::string>>);
  static_assert(std::is_convertible_v<ApiError, Result<std::string>>);
  static_assert(std::is_constructible_v<Result<std::unique_ptr<int>>, int*>);
  static_assert(!std::is_convertible_v<int*, Result<std::unique_ptr<int>>>);
  static_assert(!std::is_convertible_v<Result<int>, bool>);  // operator bool is explicit
}

// A failure passes up through helpers of other value types unchanged.
Result<int> Inner() { return MakeError(ErrorKind::kConflict, "taken"); }
Result<std::string> Outer() {
  auto n = Inner();
  if (!n) return std::move(n).error();
  return std::to_string(*n);
}

TEST(HttpResultTest, ErrorPassesUpAcrossValueTypes) {
  const auto r = Outer();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 409);
  EXPECT_EQ(r.error().message, "taken");
}

}  // namespace
}  // namespace atrium::http
