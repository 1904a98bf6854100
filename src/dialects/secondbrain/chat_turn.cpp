#include "dialects/secondbrain/chat_turn.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "core/identity/identity_service.hpp"
#include "core/retrieval/retriever.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/preferences.hpp"

namespace atrium::dialects::secondbrain {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxMessage = 32000;
constexpr std::int64_t kContextMemories = 5;
constexpr std::int64_t kContextChunks = 4;

std::optional<double> Number(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  return std::nullopt;
}

}  // namespace

http::Result<ChatRequest> ParseChatRequest(const json::object& body, std::string_view text_key) {
  ChatRequest r;
  const auto* text = body.if_contains(text_key);
  if (text == nullptr || !text->is_string() || text->as_string().empty()) {
    return FieldError(text_key, std::string(text_key) + " is required and must be a non-empty string");
  }
  r.message = std::string(text->as_string());
  if (r.message.size() > kMaxMessage) return FieldError(text_key, std::string(text_key) + " must be at most 32000 bytes");
  if (const auto* id = body.if_contains("conversationId"); id != nullptr && !id->is_null()) {
    if (!id->is_string()) return FieldError("conversationId", "conversationId must be a string");
    r.conversation_id = std::string(id->as_string());
  }
  if (const auto* t = body.if_contains("temperature"); t != nullptr && !t->is_null()) {
    const auto v = Number(t);
    if (!v || !std::isfinite(*v) || *v < 0 || *v > 2) {
      return FieldError("temperature", "temperature must be a number from 0 to 2", *t);
    }
    r.temperature = *v;
  }
  if (const auto* m = body.if_contains("maxTokens"); m != nullptr && !m->is_null()) {
    const auto v = Number(m);
    if (!v || *v != std::floor(*v) || *v < 1 || *v > 32768) {
      return FieldError("maxTokens", "maxTokens must be an integer from 1 to 32768", *m);
    }
    r.max_tokens = static_cast<std::int64_t>(*v);
  }
  return r;
}

http::Result<core::chat::TurnOptions> TurnFor(const Deps& services, const std::string& user_id,
                                              const ChatRequest& request) {
  core::chat::TurnOptions o;
  o.user_id = user_id;
  o.conversation_id = request.conversation_id;
  o.content = request.message;
  o.user_annotations.voice_input = request.voice_input;
  auto user = services.identity.GetUser(user_id);
  if (!user) return ToApiError(user.error());
  const json::object stored = ParsePreferences(user->preferences_json);
  const json::object prefs = EffectivePreferences(stored);
  double temperature = 0.7;
  std::int64_t max_tokens = 512;
  if (const auto* chat = prefs.if_contains("chat"); chat != nullptr && chat->is_object()) {
    if (auto t = Number(chat->as_object().if_contains("temperature"))) temperature = *t;
    if (auto m = Number(chat->as_object().if_contains("maxTokens"))) max_tokens = static_cast<std::int64_t>(*m);
  }
  o.extract_memories = AutoSaveMemories(prefs);
  o.sampling.temperature = request.temperature.value_or(temperature);
  o.sampling.max_tokens = request.max_tokens.value_or(max_tokens);
  // The default model is the user's only when they chose one (POST /api/models/switch
  // or their preferences); the spec's example default names no real model.
  if (const auto* model = stored.if_contains("defaultModel"); model != nullptr && model->is_string()) {
    o.model = std::string(model->as_string());
  }
  auto context =
      services.retriever.ForMessage(user_id, request.message, {.memories = kContextMemories, .chunks = kContextChunks});
  if (!context) return ToApiError(context.error());
  o.context = std::move(context->prompt);
  o.answer_annotations.context_ids = std::move(context->ids);
  return o;
}

http::ApiError ChatError(const core::Error& error) { return ToApiError(error); }

json::object AnswerMetadata(const core::chat::Message& answer) {
  json::object meta;
  if (answer.generation) {
    meta["tokensUsed"] = answer.generation->total_tokens;
    meta["inferenceTime"] = answer.generation->generation_ms;
    meta["model"] = answer.generation->model;
  }
  json::array ids;
  for (const auto& id : answer.annotations.context_ids) ids.emplace_back(id);
  meta["retrievedContext"] = std::move(ids);
  return meta;
}

}  // namespace atrium::dialects::secondbrain
