#include <boost/json.hpp>

#include "dialects/openai/openai.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::openai {

namespace {

std::string_view TypeFor(const http::ApiError& error) {
  if (error.status >= 500) return "server_error";
  if (error.status == 429) return "requests";
  if (error.status == 401) return "invalid_request_error";
  return "invalid_request_error";
}

}  // namespace

boost::json::object ErrorBody(const http::ApiError& error) {
  boost::json::object inner;
  std::string message = error.message;
  if (error.kind == http::ErrorKind::kRateLimited && error.details.contains("retry_after")) {
    message = "Rate limit reached for requests. Please try again later.";
  }
  inner["message"] = message;
  const auto* type = error.details.if_contains("type");
  inner["type"] = type != nullptr && type->is_string() ? type->as_string() : boost::json::string(TypeFor(error));
  const auto* param = error.details.if_contains("param");
  inner["param"] = param != nullptr && param->is_string() ? boost::json::value(param->as_string()) : nullptr;
  if (error.code) {
    inner["code"] = *error.code;
  } else if (error.kind == http::ErrorKind::kRateLimited) {
    inner["code"] = "rate_limit_exceeded";
  } else if (error.kind == http::ErrorKind::kNotFound) {
    inner["code"] = "not_found";
  } else {
    inner["code"] = nullptr;
  }
  return {{"error", std::move(inner)}};
}

namespace {

class Renderer final : public http::ErrorRenderer {
 public:
  http::Response Render(const http::ApiError& error, const http::Request&) const override {
    return http::JsonReply(error.status, ErrorBody(error));
  }
};

}  // namespace

std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() { return std::make_unique<Renderer>(); }

http::ApiError InvalidParam(std::string message, std::string param, std::string code) {
  auto e = http::MakeError(http::ErrorKind::kBadRequest, std::move(message));
  if (!code.empty()) e.code = std::move(code);
  e.details["param"] = std::move(param);
  return e;
}

namespace {

std::string_view JsonTypeName(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "an integer";
    case boost::json::kind::double_:
      return "a decimal";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
    case boost::json::kind::null:
      return "null";
  }
  return "another type";
}

}  // namespace

http::ApiError WrongType(std::string param, std::string_view expected, const boost::json::value& got) {
  std::string message = "Invalid type for '" + param + "': expected " + std::string(expected) + ", but got " +
                        std::string(JsonTypeName(got)) + " instead.";
  return InvalidParam(std::move(message), std::move(param), "invalid_type");
}

http::ApiError FromCore(const core::Error& error) {
  using R = core::Reason;
  http::ApiError e = http::FromCoreError(error);
  switch (error.reason()) {
    case R::kLlmNotConfigured:
    case R::kLlmUnavailable:
    case R::kLlmStreamInterrupted:
      e = http::MakeError(http::ErrorKind::kUnavailable, error.safe_message());
      e.code = "llm_unavailable";
      return e;
    case R::kLlmBusy:
      e = http::MakeError(http::ErrorKind::kUnavailable, error.safe_message());
      e.code = "llm_busy";
      e.headers.Set("Retry-After", "1");
      return e;
    case R::kLlmRateLimited:
      e = http::MakeError(http::ErrorKind::kRateLimited, error.safe_message());
      e.code = "rate_limit_exceeded";
      e.headers.Set("Retry-After", "1");
      return e;
    case R::kTokenLimitExceeded:
      e = http::MakeError(http::ErrorKind::kRateLimited,
                          "You exceeded your current quota: this account's token limit is reached.");
      e.code = "insufficient_quota";
      e.details["type"] = "insufficient_quota";
      return e;
    case R::kModelNotFound:
      e = http::MakeError(http::ErrorKind::kNotFound, error.safe_message());
      e.code = "model_not_found";
      e.details["param"] = "model";
      return e;
    case R::kLlmRejected:
      return http::MakeError(http::ErrorKind::kBadRequest, error.safe_message());
    case R::kNone:
    case R::kMissingCredentials:
    case R::kInvalidCredentials:
    case R::kMissingToken:
    case R::kInvalidToken:
    case R::kTokenExpired:
    case R::kTokenReused:
    case R::kSessionRevoked:
    case R::kSessionNotFound:
    case R::kInvalidApiKey:
    case R::kAccountBanned:
    case R::kAccountInactive:
    case R::kAccountLocked:
    case R::kDeviceNotFound:
    case R::kUserNotFound:
    case R::kEmailExists:
    case R::kUsernameExists:
    case R::kInvalidEmail:
    case R::kWeakPassword:
    case R::kCannotBanAdmin:
    case R::kCannotBanSelf:
    case R::kInvalidMessage:
    case R::kInvalidPrompt:
    case R::kConversationNotFound:
    case R::kMessageNotFound:
    case R::kAbandoned:
    case R::kConfigNotFound:
    case R::kTemplateNotFound:
    case R::kImageNotFound:
    case R::kArenaConfigCount:
    case R::kInvalidDays:
    case R::kNotConfigured:
    case R::kLlmBadResponse:
    case R::kLlmEmptyAnswer:
    case R::kInvalidAudio:
    case R::kAudioTooLarge:
    case R::kAudioTooLong:
    case R::kSpeechNotConfigured:
    case R::kSpeechUnavailable:
    case R::kSpeechBusy:
    case R::kSpeechTimeout:
    case R::kInvalidVoice:
    case R::kTextTooLong:
    case R::kMemoryNotFound:
    case R::kDocumentNotFound:
    case R::kUnsupportedDocument:
    case R::kInvalidDocument:
    case R::kDocumentTooLarge:
    case R::kExportNotFound:
    case R::kEmbeddingsNotConfigured:
    case R::kRendererUnavailable:
    case R::kInvalidDiagramSource:
    case R::kInvalidFormula:
    case R::kInvalidMapRequest:
    case R::kRenderTimeout:
    case R::kRenderTooLarge:
    case R::kRenderBusy:
    case R::kCancelled:
    case R::kUpstreamIo:
      break;  // mapped by the error code below
  }
  if (error.code() == core::ErrorCode::kInvalidArgument) {
    e = http::MakeError(http::ErrorKind::kBadRequest, error.safe_message());
  } else if (error.code() == core::ErrorCode::kUnauthenticated) {
    e.code = "invalid_api_key";
  }
  return e;
}

}  // namespace atrium::dialects::openai
