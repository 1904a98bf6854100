#include "storage/postgres/sql_state.hpp"

#include <gtest/gtest.h>

namespace atrium::storage::postgres {
namespace {

using core::ErrorCode;

TEST(SqlState, UniqueViolationIsAlreadyExistsNamingTheConstraint) {
  const auto e =
      MapServerError({"23505", "duplicate key value violates unique constraint", "users_email_lower_key"}, "execute");
  EXPECT_EQ(e.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(e.safe_message(), "conflicts with stored data");
  EXPECT_NE(e.internal_message().find("users_email_lower_key"), std::string::npos);
  EXPECT_NE(e.internal_message().find("23505"), std::string::npos);
}

TEST(SqlState, OtherIntegrityViolationsAreInternal) {
  for (const char* state : {"23502", "23503", "23514", "23P01"}) {
    const auto e = MapServerError({state, "violates", "c"}, "execute");
    EXPECT_EQ(e.code(), ErrorCode::kInternal) << state;
    EXPECT_EQ(e.safe_message(), "database error") << state;
  }
}

TEST(SqlState, ConnectionProblemsAreUnavailable) {
  for (const char* state : {"08006", "08001", "57P01", "57P03", ""}) {
    const auto e = MapServerError({state, "gone", ""}, "execute");
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable) << state;
    EXPECT_EQ(e.safe_message(), "database unavailable") << state;
  }
}

TEST(SqlState, EverythingElseIsInternalAndTheSafeMessageHidesTheDetail) {
  const auto e = MapServerError({"42601", "syntax error at or near \"SELEC\"", ""}, "prepare");
  EXPECT_EQ(e.code(), ErrorCode::kInternal);
  EXPECT_EQ(e.safe_message(), "database error");
  EXPECT_NE(e.internal_message().find("SELEC"), std::string::npos);
}

TEST(SqlState, OnlySerializationFailureAndDeadlockAreRetryable) {
  EXPECT_TRUE(IsRetryable("40001"));
  EXPECT_TRUE(IsRetryable("40P01"));
  EXPECT_FALSE(IsRetryable("40002"));
  EXPECT_FALSE(IsRetryable("23505"));
  EXPECT_FALSE(IsRetryable(""));
}

}  // namespace
}  // namespace atrium::storage::postgres
