#include "core/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace atrium::core {
namespace {

TEST(ErrorTest, CarriesCodeAndBothMessages) {
  const Error e(ErrorCode::kNotFound, "no such user", "SELECT ... returned 0 rows");
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  EXPECT_EQ(e.safe_message(), "no such user");
  EXPECT_EQ(e.internal_message(), "SELECT ... returned 0 rows");
}

TEST(ErrorTest, InternalMessageFallsBackToSafeMessage) {
  const Error e(ErrorCode::kInvalidArgument, "limit must be positive");
  EXPECT_EQ(e.internal_message(), "limit must be positive");
}

TEST(ErrorTest, ReasonIsEmptyUnlessGiven) {
  EXPECT_EQ(Error(ErrorCode::kUnauthenticated, "Invalid token").reason(), Reason::kNone);
  const Error e = Error(ErrorCode::kUnauthenticated, "Invalid token", "sig mismatch").WithReason(Reason::kTokenReused);
  EXPECT_EQ(e.reason(), Reason::kTokenReused);
  EXPECT_EQ(e.code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(e.safe_message(), "Invalid token");
  EXPECT_EQ(e.internal_message(), "sig mismatch");
}

TEST(ResultTest, HoldsValue) {
  Result<std::string> r(std::string("hello"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), "hello");
  EXPECT_EQ(*r, "hello");
  EXPECT_EQ(r->size(), 5u);
  r.value() += "!";
  EXPECT_EQ(*r, "hello!");
}

TEST(ResultTest, HoldsError) {
  const Result<int> r(Error(ErrorCode::kUnavailable, "database unavailable", "open /x: no such file"));
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().safe_message(), "database unavailable");
  EXPECT_EQ(r.error().internal_message(), "open /x: no such file");
}

TEST(ResultTest, MovesOutMoveOnlyValue) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(42));
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 42);
}

TEST(ResultVoidTest, DefaultAndOkAreSuccess) {
  const Result<void> a;
  const Result<void> b = Ok{};
  EXPECT_TRUE(a.ok());
  EXPECT_TRUE(static_cast<bool>(b));
}

TEST(ResultVoidTest, HoldsError) {
  const Result<void> r = Error(ErrorCode::kAlreadyExists, "conflicts with stored data");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(r.error().safe_message(), "conflicts with stored data");
}

}  // namespace
}  // namespace atrium::core
