#include <boost/json.hpp>

#include "core/chat/chat_service.hpp"
#include "core/clock.hpp"
#include "dialects/common/turn_stream.hpp"
#include "dialects/openai/chat_request.hpp"
#include "dialects/openai/openai.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::openai {

namespace {

namespace json = boost::json;

std::string CompletionId(const std::string& message_id) {
  std::string id = "chatcmpl-";
  for (const char c : message_id) {
    if (c != '-') id += c;
  }
  return id;
}

std::int64_t UnixSeconds(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

json::object UsageJson(const core::chat::GenerationMetadata& g) {
  return {
      {"prompt_tokens", g.prompt_tokens}, {"completion_tokens", g.completion_tokens}, {"total_tokens", g.total_tokens}};
}

// OpenAI's chunks for a streamed turn. Keeps the completion's id and model, learnt
// when it starts; events come one at a time.
class Framer {
 public:
  Framer(std::int64_t created, bool include_usage) : created_(created), include_usage_(include_usage) {}

  std::vector<std::string> operator()(const core::chat::ChatEvent& e) {
    using T = core::chat::ChatEventType;
    switch (e.type) {
      case T::kStarted:
        id_ = CompletionId(e.ids->assistant_message_id);
        model_ = e.model;
        return {Chunk(json::object{{"role", "assistant"}, {"content", ""}, {"refusal", nullptr}}, nullptr)};
      case T::kDelta:
        return {Chunk(json::object{{"content", e.delta}}, nullptr)};
      case T::kDone: {
        const auto& g = *e.result->assistant_message.generation;
        const std::string finish = g.finish_reason == "cancelled" || g.finish_reason.empty() ? "stop" : g.finish_reason;
        std::vector<std::string> out{Chunk(json::object{}, json::value(finish))};
        if (include_usage_) {
          json::object usage{{"id", id_},       {"object", "chat.completion.chunk"}, {"created", created_},
                             {"model", model_}, {"choices", json::array()},          {"usage", UsageJson(g)}};
          out.push_back("data: " + json::serialize(usage) + "\n\n");
        }
        out.push_back("data: [DONE]\n\n");
        return out;
      }
      case T::kError:
        // Tokens were already sent: the stream ends with OpenAI's error object, no [DONE].
        return {"data: " + json::serialize(ErrorBody(FromCore(*e.error))) + "\n\n"};
    }
    return {};
  }

 private:
  std::string Chunk(json::object delta, json::value finish) const {
    json::object choice{{"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr}, {"finish_reason", finish}};
    json::object chunk{
        {"id", id_},       {"object", "chat.completion.chunk"}, {"created", created_},
        {"model", model_}, {"system_fingerprint", nullptr},     {"choices", json::array{std::move(choice)}}};
    if (include_usage_) chunk["usage"] = nullptr;
    return "data: " + json::serialize(chunk) + "\n\n";
  }

  const std::int64_t created_;
  const bool include_usage_;
  std::string id_;
  std::string model_;
};

core::chat::TurnOptions Options(const http::Request& req, const core::identity::Principal& who, ChatRequest r) {
  core::chat::TurnOptions o;
  o.user_id = who.user_id;
  if (auto id = req.Header("X-Atrium-Conversation-Id")) o.conversation_id = std::string(*id);
  o.content = std::move(r.content);
  if (!r.system_prompt.empty()) o.system_prompt = std::move(r.system_prompt);
  o.model = std::move(r.model);
  o.sampling = std::move(r.sampling);
  o.history = std::move(r.history);
  // Every call of a stateless API would be a new conversation: a second upstream call
  // per request for a title is not worth it; the first message titles it.
  o.generate_title = false;
  return o;
}

http::Reply Complete(const Deps& services, const http::Request& req, const core::identity::Principal& who) {
  auto parsed = http::ParseJsonObject(req);
  if (!parsed) return std::move(parsed).error();
  auto chat = ParseChatRequest(*parsed);
  if (!chat) return std::move(chat).error();
  auto& request = *chat;
  const bool stream = request.stream;
  const bool include_usage = request.include_usage;
  auto options = Options(req, who, std::move(request));
  const auto created = UnixSeconds(services.clock);

  if (!stream) {
    auto turn = services.chat.Send(options);
    if (!turn) return FromCore(turn.error());
    const auto& m = turn->assistant_message;
    const auto& g = *m.generation;
    json::object message{{"role", "assistant"}, {"content", m.content}, {"refusal", nullptr}};
    json::object choice{{"index", 0},
                        {"message", std::move(message)},
                        {"logprobs", nullptr},
                        {"finish_reason", g.finish_reason.empty() ? "stop" : g.finish_reason}};
    json::object body{
        {"id", CompletionId(m.id)}, {"object", "chat.completion"},   {"created", created},
        {"model", g.model},         {"system_fingerprint", nullptr}, {"choices", json::array{std::move(choice)}},
        {"usage", UsageJson(g)}};
    auto response = http::JsonReply(200, body);
    response.headers.Set("X-Atrium-Conversation-Id", turn->conversation.id);
    return response;
  }

  TurnStreamOptions stream_options;
  stream_options.decorate = [](const core::chat::ChatTurn& turn, http::Response& response) {
    response.headers.Set("X-Atrium-Conversation-Id", turn.ids().conversation_id);
  };
  EndWithSession(stream_options, services, who);  // at a revocation, and at the token's exp
  return StreamTurn([&](core::chat::ChatSink sink) { return services.chat.Stream(options, std::move(sink)); },
                    Framer(created, include_usage), FromCore, std::move(stream_options));
}

}  // namespace

void AddChatRoutes(http::Site& site, const Deps& services) {
  const core::ratelimit::RateRule chat{"openai_chat", 600, std::chrono::seconds(60), 0};
  site.Add(http::Method::kPost, "/v1/chat/completions",
           PerUser(services, chat, Style(),
                   [&services](http::Request& req, const core::identity::Principal& who) {
                     return Complete(services, req, who);
                   }),
           {.body_limit = 4 << 20});
}

}  // namespace atrium::dialects::openai
