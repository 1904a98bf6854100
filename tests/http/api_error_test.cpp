#include "http/api_error.hpp"

#include <gtest/gtest.h>

#include <utility>

namespace atrium::http {
namespace {

TEST(ApiErrorTest, DefaultStatusForEveryKind) {
  const std::pair<ErrorKind, int> table[] = {
      {ErrorKind::kBadRequest, 400},
      {ErrorKind::kInvalidJson, 400},
      {ErrorKind::kValidation, 400},
      {ErrorKind::kUnauthorized, 401},
      {ErrorKind::kForbidden, 403},
      {ErrorKind::kNotFound, 404},
      {ErrorKind::kMethodNotAllowed, 405},
      {ErrorKind::kRequestTimeout, 408},
      {ErrorKind::kConflict, 409},
      {ErrorKind::kPayloadTooLarge, 413},
      {ErrorKind::kUnsupportedMediaType, 415},
      {ErrorKind::kRateLimited, 429},
      {ErrorKind::kHeadersTooLarge, 431},
      {ErrorKind::kInternal, 500},
      {ErrorKind::kBadGateway, 502},
      {ErrorKind::kUnavailable, 503},
  };
  for (const auto& [kind, status] : table) EXPECT_EQ(DefaultStatus(kind), status) << static_cast<int>(kind);
}

TEST(ApiErrorTest, MakeErrorFillsStatusAndMessage) {
  const ApiError e = MakeError(ErrorKind::kConflict, "name taken");
  EXPECT_EQ(e.status, 409);
  EXPECT_EQ(e.kind, ErrorKind::kConflict);
  EXPECT_EQ(e.message, "name taken");
  EXPECT_EQ(e.code, std::nullopt);
  EXPECT_TRUE(e.details.empty());
}

void ExpectMapped(core::ErrorCode code, ErrorKind kind, int status, const std::string& message) {
  const ApiError e = FromCoreError(core::Error(code, "safe text", "internal: /var/db SQL"));
  EXPECT_EQ(e.kind, kind) << static_cast<int>(code);
  EXPECT_EQ(e.status, status) << static_cast<int>(code);
  EXPECT_EQ(e.message, message) << static_cast<int>(code);
}

TEST(ApiErrorTest, FromCoreErrorUsesOnlyTheSafeMessage) {
  using core::ErrorCode;
  ExpectMapped(ErrorCode::kInvalidArgument, ErrorKind::kValidation, 400, "safe text");
  ExpectMapped(ErrorCode::kNotFound, ErrorKind::kNotFound, 404, "safe text");
  ExpectMapped(ErrorCode::kAlreadyExists, ErrorKind::kConflict, 409, "safe text");
  ExpectMapped(ErrorCode::kUnauthenticated, ErrorKind::kUnauthorized, 401, "safe text");
  ExpectMapped(ErrorCode::kPermissionDenied, ErrorKind::kForbidden, 403, "safe text");
  ExpectMapped(ErrorCode::kResourceExhausted, ErrorKind::kUnavailable, 503, "safe text");
  ExpectMapped(ErrorCode::kUnavailable, ErrorKind::kUnavailable, 503, "safe text");
}

TEST(ApiErrorTest, FromCoreErrorKeepsTheReason) {
  const ApiError e =
      FromCoreError(core::Error(core::ErrorCode::kAlreadyExists, "Email taken").WithReason(core::Reason::kEmailExists));
  EXPECT_EQ(e.kind, ErrorKind::kConflict);
  EXPECT_EQ(e.message, "Email taken");
  EXPECT_EQ(e.reason, core::Reason::kEmailExists);
  EXPECT_EQ(FromCoreError(core::Error(core::ErrorCode::kNotFound, "x")).reason, core::Reason::kNone);
}

TEST(ApiErrorTest, InternalCoreErrorIsGeneric) {
  ExpectMapped(core::ErrorCode::kInternal, ErrorKind::kInternal, 500, "Internal server error");
}

}  // namespace
}  // namespace atrium::http
