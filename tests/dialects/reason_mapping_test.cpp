// Every dialect maps every core::Reason (the switches are exhaustive; these tests walk
// the whole enum through each mapping), and the reason-like codes clients see on the
// wire are the texts they saw before reasons were typed.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/reason.hpp"
#include "core/result.hpp"
#include "dialects/common/reason_code.hpp"
#include "dialects/openai/openai.hpp"
#include "dialects/pisovereign/chat_routes.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "dialects/unamentis/request_guard.hpp"
#include "dialects/unamentis/unamentis.hpp"
#include "dialects/unichat/chat_request.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/request.hpp"

namespace atrium::dialects {
namespace {

using core::ErrorCode;
using core::Reason;

std::vector<Reason> AllReasons() {
  std::vector<Reason> all;
  for (int r = 0; r <= static_cast<int>(core::kLastReason); ++r) all.push_back(static_cast<Reason>(r));
  return all;
}

core::Error Failure(ErrorCode code, Reason reason) {
  return core::Error(code, "safe text", "internal").WithReason(reason);
}

// The codes the core's reason texts put on the wire before they were typed, in enum order.
const std::vector<std::string> kWireCodes = {"",
                                             "missing_credentials",
                                             "invalid_credentials",
                                             "missing_token",
                                             "invalid_token",
                                             "token_expired",
                                             "token_reused",
                                             "session_revoked",
                                             "session_not_found",
                                             "invalid_api_key",
                                             "account_banned",
                                             "account_inactive",
                                             "account_locked",
                                             "device_not_found",
                                             "user_not_found",
                                             "email_exists",
                                             "username_exists",
                                             "invalid_email",
                                             "weak_password",
                                             "cannot_ban_admin",
                                             "cannot_ban_self",
                                             "invalid_message",
                                             "invalid_prompt",
                                             "conversation_not_found",
                                             "message_not_found",
                                             "token_limit_exceeded",
                                             "abandoned",
                                             "config_not_found",
                                             "template_not_found",
                                             "image_not_found",
                                             "arena_config_count",
                                             "invalid_days",
                                             "not_configured",
                                             "llm_not_configured",
                                             "llm_unavailable",
                                             "llm_busy",
                                             "llm_rate_limited",
                                             "llm_rejected",
                                             "llm_stream_interrupted",
                                             "llm_bad_response",
                                             "llm_empty_answer",
                                             "model_not_found",
                                             "cancelled",
                                             "upstream_io",
                                             "invalid_audio",
                                             "audio_too_large",
                                             "audio_too_long",
                                             "speech_not_configured",
                                             "speech_unavailable",
                                             "speech_busy",
                                             "speech_timeout",
                                             "invalid_voice",
                                             "text_too_long",
                                             "memory_not_found",
                                             "document_not_found",
                                             "unsupported_document",
                                             "invalid_document",
                                             "document_too_large",
                                             "export_not_found",
                                             "embeddings_not_configured",
                                             "renderer_unavailable",
                                             "invalid_diagram_source",
                                             "invalid_formula",
                                             "invalid_map_request",
                                             "render_timeout",
                                             "render_too_large",
                                             "render_busy"};

boost::json::object Body(const http::Response& response) { return boost::json::parse(response.body).as_object(); }

http::Request AnyRequest() {
  http::Request request;
  request.request_id = "req-1";
  return request;
}

TEST(SnakeCaseReasonTest, EveryReasonKeepsItsWireText) {
  const auto all = AllReasons();
  ASSERT_EQ(all.size(), kWireCodes.size()) << "a new Reason needs its wire text here and in SnakeCaseReason";
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(SnakeCaseReason(all[i]), kWireCodes[i]) << core::ReasonName(all[i]);
    seen.insert(SnakeCaseReason(all[i]));
  }
  EXPECT_EQ(seen.size(), all.size());  // no two reasons share a code
}

TEST(ReasonMappingTest, EveryDialectMapsEveryReasonToAClientError) {
  for (const Reason reason : AllReasons()) {
    for (const ErrorCode code : {ErrorCode::kInvalidArgument, ErrorCode::kNotFound, ErrorCode::kUnauthenticated,
                                 ErrorCode::kUnavailable, ErrorCode::kInternal}) {
      const core::Error error = Failure(code, reason);
      const std::string what = std::string(core::ReasonName(reason));
      for (const http::ApiError& e :
           {openai::FromCore(error), unichat::ToApiError(error), unichat::ChatError(error),
            secondbrain::ToApiError(error), unamentis::AuthError(error), pisovereign::ChatError(error)}) {
        EXPECT_GE(e.status, 400) << what;
        EXPECT_LT(e.status, 600) << what;
        EXPECT_FALSE(e.message.empty()) << what;
      }
    }
  }
}

TEST(ReasonMappingTest, OpenAiCodes) {
  const auto busy = openai::FromCore(Failure(ErrorCode::kUnavailable, Reason::kLlmBusy));
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.code, "llm_busy");
  EXPECT_EQ(busy.headers.Get("Retry-After"), "1");
  const auto quota = openai::FromCore(Failure(ErrorCode::kResourceExhausted, Reason::kTokenLimitExceeded));
  EXPECT_EQ(quota.status, 429);
  EXPECT_EQ(quota.code, "insufficient_quota");
  const auto model = openai::FromCore(Failure(ErrorCode::kNotFound, Reason::kModelNotFound));
  EXPECT_EQ(model.status, 404);
  EXPECT_EQ(model.code, "model_not_found");
  EXPECT_EQ(openai::FromCore(Failure(ErrorCode::kUnavailable, Reason::kLlmStreamInterrupted)).code, "llm_unavailable");
  EXPECT_EQ(openai::FromCore(Failure(ErrorCode::kUnauthenticated, Reason::kInvalidApiKey)).code, "invalid_api_key");
  EXPECT_EQ(openai::FromCore(Failure(ErrorCode::kInvalidArgument, Reason::kLlmRejected)).status, 400);
}

TEST(ReasonMappingTest, UnichatMessagesAndLimits) {
  const auto limit = unichat::ToApiError(Failure(ErrorCode::kResourceExhausted, Reason::kTokenLimitExceeded));
  EXPECT_EQ(limit.status, 429);
  EXPECT_EQ(limit.message, "Token limit reached");
  EXPECT_EQ(limit.reason, Reason::kTokenLimitExceeded);
  EXPECT_EQ(Body(unichat::MakeErrorRenderer()->Render(limit, AnyRequest())).at("error"), "Token limit reached");
  EXPECT_EQ(unichat::ToApiError(Failure(ErrorCode::kPermissionDenied, Reason::kAccountBanned)).message,
            "Account banned");
  const auto rate = unichat::ChatError(Failure(ErrorCode::kUnavailable, Reason::kLlmRateLimited));
  EXPECT_EQ(rate.status, 503);
  EXPECT_EQ(rate.headers.Get("Retry-After"), "1");
  EXPECT_FALSE(
      unichat::ChatError(Failure(ErrorCode::kUnavailable, Reason::kLlmEmptyAnswer)).headers.Has("Retry-After"));
}

TEST(ReasonMappingTest, UnamentisShowsTheReasonAsItsCode) {
  const auto renderer = unamentis::MakeErrorRenderer();
  const auto banned = unamentis::AuthError(Failure(ErrorCode::kPermissionDenied, Reason::kAccountBanned));
  EXPECT_EQ(banned.status, 401);
  const auto body = Body(renderer->Render(banned, AnyRequest()));
  EXPECT_EQ(body.at("error"), "account_inactive");
  EXPECT_EQ(body.at("code"), "ACCOUNT_INACTIVE");
  const auto expired = Body(renderer->Render(
      unamentis::AuthError(Failure(ErrorCode::kUnauthenticated, Reason::kTokenExpired)), AnyRequest()));
  EXPECT_EQ(expired.at("error"), "token_expired");
  EXPECT_EQ(unamentis::AuthError(Failure(ErrorCode::kNotFound, Reason::kDeviceNotFound)).code, "not_found");
  const auto plain =
      Body(renderer->Render(unamentis::AuthError(Failure(ErrorCode::kUnauthenticated, Reason::kNone)), AnyRequest()));
  EXPECT_EQ(plain.at("error"), "unauthorized");
}

TEST(ReasonMappingTest, SecondBrainAuthAndLlmCodes) {
  core::SystemClock clock;
  const auto renderer = secondbrain::MakeErrorRenderer(clock);
  auto code_of = [&](ErrorCode code, Reason reason) {
    const auto body = Body(renderer->Render(http::FromCoreError(Failure(code, reason)), AnyRequest()));
    const auto& error = body.at("error").as_object();
    return std::string(error.at("type").as_string()) + "/" + std::string(error.at("code").as_string());
  };
  EXPECT_EQ(code_of(ErrorCode::kUnauthenticated, Reason::kInvalidCredentials), "AUTH_ERROR/AUTH_001");
  EXPECT_EQ(code_of(ErrorCode::kUnauthenticated, Reason::kTokenExpired), "AUTH_ERROR/AUTH_002");
  EXPECT_EQ(code_of(ErrorCode::kUnauthenticated, Reason::kTokenReused), "AUTH_ERROR/AUTH_003");
  EXPECT_EQ(code_of(ErrorCode::kUnauthenticated, Reason::kAccountLocked), "AUTH_ERROR/AUTH_005");
  EXPECT_EQ(code_of(ErrorCode::kPermissionDenied, Reason::kAccountBanned), "AUTH_ERROR/AUTH_006");
  EXPECT_EQ(code_of(ErrorCode::kUnavailable, Reason::kLlmNotConfigured), "LLM_ERROR/LLM_001");
  EXPECT_EQ(code_of(ErrorCode::kUnavailable, Reason::kNotConfigured), "SERVICE_UNAVAILABLE/SVC_001");
  EXPECT_EQ(code_of(ErrorCode::kNotFound, Reason::kUserNotFound), "NOT_FOUND/NF_001");
  EXPECT_EQ(secondbrain::ToApiError(Failure(ErrorCode::kInvalidArgument, Reason::kWeakPassword), "newPassword")
                .details.at("field"),
            "newPassword");
  EXPECT_EQ(secondbrain::ToApiError(Failure(ErrorCode::kAlreadyExists, Reason::kUsernameExists)).details.at("field"),
            "username");
}

TEST(ReasonMappingTest, PiSovereignChatErrors) {
  const auto limit = pisovereign::ChatError(Failure(ErrorCode::kResourceExhausted, Reason::kTokenLimitExceeded));
  EXPECT_EQ(limit.status, 429);
  EXPECT_EQ(limit.details.at("retry_after"), 60);
  const auto busy = pisovereign::ChatError(Failure(ErrorCode::kUnavailable, Reason::kLlmBusy));
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.headers.Get("Retry-After"), "1");
  EXPECT_EQ(pisovereign::ChatError(Failure(ErrorCode::kNotFound, Reason::kModelNotFound)).kind,
            http::ErrorKind::kValidation);
  EXPECT_EQ(pisovereign::ChatError(Failure(ErrorCode::kInvalidArgument, Reason::kInvalidMessage)).status, 400);
}

}  // namespace
}  // namespace atrium::dialects
