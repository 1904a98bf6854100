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

namespace {

ErrorKind KindFor(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::kInvalidArgument:
      return ErrorKind::kValidation;
    case core::ErrorCode::kNotFound:
      return ErrorKind::kNotFound;
    case core::ErrorCode::kAlreadyExists:
      return ErrorKind::kConflict;
    case core::ErrorCode::kUnauthenticated:
      return ErrorKind::kUnauthorized;
    case core::ErrorCode::kPermissionDenied:
      return ErrorKind::kForbidden;
    case core::ErrorCode::kResourceExhausted:
    case core::ErrorCode::kUnavailable:
      return ErrorKind::kUnavailable;
    case core::ErrorCode::kInternal:
      break;
  }
  return ErrorKind::kInternal;
}

}  // namespace

ApiError FromCoreError(const core::Error& error) {
  const ErrorKind kind = KindFor(error.code());
  // Internal failures never show their message, however safe it claims to be.
  ApiError e = MakeError(kind, kind == ErrorKind::kInternal ? "Internal server error" : error.safe_message());
  e.reason = error.reason();
  return e;
}

}  // namespace atrium::http
