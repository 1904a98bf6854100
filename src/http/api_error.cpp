#include "http/api_error.hpp"

namespace atrium::http {

int DefaultStatus(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest:
    case ErrorKind::kInvalidJson:
    case ErrorKind::kValidation:
      return 400;
    case ErrorKind::kUnauthorized:
      return 401;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kMethodNotAllowed:
      return 405;
    case ErrorKind::kRequestTimeout:
      return 408;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kPayloadTooLarge:
      return 413;
    case ErrorKind::kUnsupportedMediaType:
      return 415;
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kHeadersTooLarge:
      return 431;
    case ErrorKind::kInternal:
      return 500;
    case ErrorKind::kBadGateway:
      return 502;
    case ErrorKind::kUnavailable:
      return 503;
  }
  return 500;
}

ApiError MakeError(ErrorKind kind, std::string message) {
  return ApiError{DefaultStatus(kind), kind, std::move(message), std::nullopt, {}, {}, {}};
}

ApiError FromCoreCode(const core::Error& error);

ApiError FromCoreError(const core::Error& error) {
  ApiError e = FromCoreCode(error);
  e.reason = error.reason();
  return e;
}

ApiError FromCoreCode(const core::Error& error) {
  switch (error.code()) {
    case core::ErrorCode::kInvalidArgument:
      return MakeError(ErrorKind::kValidation, error.safe_message());
    case core::ErrorCode::kNotFound:
      return MakeError(ErrorKind::kNotFound, error.safe_message());
    case core::ErrorCode::kAlreadyExists:
      return MakeError(ErrorKind::kConflict, error.safe_message());
    case core::ErrorCode::kUnauthenticated:
      return MakeError(ErrorKind::kUnauthorized, error.safe_message());
    case core::ErrorCode::kPermissionDenied:
      return MakeError(ErrorKind::kForbidden, error.safe_message());
    case core::ErrorCode::kResourceExhausted:
    case core::ErrorCode::kUnavailable:
      return MakeError(ErrorKind::kUnavailable, error.safe_message());
    case core::ErrorCode::kInternal:
      break;
  }
  return MakeError(ErrorKind::kInternal, "Internal server error");
}

}  // namespace atrium::http
