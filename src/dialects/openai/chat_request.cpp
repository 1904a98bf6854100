#include "dialects/openai/chat_request.hpp"

#include <boost/json.hpp>

#include "dialects/openai/openai.hpp"

namespace atrium::dialects::openai {

namespace {

namespace json = boost::json;

// A number parameter: unset when absent or null.
http::Result<std::optional<double>> Number(const json::object& body, std::string_view name, double lo, double hi) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<double>{};
  if (!v->is_number()) return WrongType(std::string(name), "a decimal", *v);
  const double d = v->to_number<double>();
  if (d < lo || d > hi) {
    char buf[96];
    std::snprintf(buf, sizeof(buf), "Invalid '%s': decimal must be between %g and %g.", std::string(name).c_str(), lo,
                  hi);
    return InvalidParam(buf, std::string(name), d < lo ? "decimal_below_min_value" : "decimal_above_max_value");
  }
  return std::optional<double>{d};
}

// A message's text: a string, null, or an array of text parts. `at` names the content.
http::Result<std::string> Text(const json::value& content, const std::string& at) {
  if (content.is_string()) return std::string(content.as_string());
  if (content.is_null()) return std::string();
  if (!content.is_array()) return WrongType(at, "a string or an array", content);
  std::string out;
  const auto& parts = content.as_array();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string part_at = at + "[" + std::to_string(i) + "]";
    if (!parts[i].is_object()) return WrongType(part_at, "an object", parts[i]);
    const auto* type = parts[i].as_object().if_contains("type");
    if (type == nullptr) {
      return InvalidParam("Missing required parameter: '" + part_at + ".type'.", part_at + ".type",
                          "missing_required_parameter");
    }
    if (!type->is_string()) return WrongType(part_at + ".type", "a string", *type);
    if (type->as_string() != "text") {  // images and audio are not relayed
      return InvalidParam("Invalid '" + at + "': only text content is supported.", at, "invalid_value");
    }
    const auto* text = parts[i].as_object().if_contains("text");
    if (text == nullptr) {
      return InvalidParam("Missing required parameter: '" + part_at + ".text'.", part_at + ".text",
                          "missing_required_parameter");
    }
    if (!text->is_string()) return WrongType(part_at + ".text", "a string", *text);
    if (!out.empty()) out += '\n';
    out += text->as_string();
  }
  return out;
}

}  // namespace

http::Result<ChatRequest> ParseChatRequest(const json::object& body) {
  ChatRequest r;
  const auto* model = body.if_contains("model");
  if (model == nullptr || model->is_null() || (model->is_string() && model->as_string().empty())) {
    return InvalidParam("you must provide a model parameter", "model", "");
  }
  if (!model->is_string()) return WrongType("model", "a string", *model);
  r.model = std::string(model->as_string());

  const auto* messages = body.if_contains("messages");
  if (messages == nullptr) {
    return InvalidParam("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  }
  if (!messages->is_array()) return WrongType("messages", "an array", *messages);
  if (messages->as_array().empty()) {
    return InvalidParam(
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        "messages", "empty_array");
  }
  const auto& list = messages->as_array();
  std::vector<core::llm::ChatMessage> turns;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = "messages[" + std::to_string(i) + "]";
    if (!list[i].is_object()) return WrongType(at, "an object", list[i]);
    const auto& m = list[i].as_object();
    const auto* role = m.if_contains("role");
    if (role == nullptr) {
      return InvalidParam("Missing required parameter: '" + at + ".role'.", at + ".role", "missing_required_parameter");
    }
    if (!role->is_string()) return WrongType(at + ".role", "a string", *role);
    const std::string_view role_text = role->as_string();
    const auto* content = m.if_contains("content");
    auto parsed = content != nullptr ? Text(*content, at + ".content") : std::string();
    if (!parsed) return std::move(parsed).error();
    auto* text = &*parsed;
    if (role_text == "system" || role_text == "developer") {
      if (!r.system_prompt.empty()) r.system_prompt += "\n\n";
      r.system_prompt += *text;
    } else if (role_text == "user" || role_text == "assistant") {
      turns.push_back({std::string(role_text), std::move(*text)});
    } else if (role_text == "tool" || role_text == "function") {
      return InvalidParam("Invalid '" + at + ".role': tool messages are not supported by this gateway.", at + ".role",
                          "invalid_value");
    } else {
      return InvalidParam("Invalid value: '" + std::string(role_text) +
                              "'. Supported values are: 'system', 'developer', 'user' and 'assistant'.",
                          at + ".role", "invalid_value");
    }
  }
  if (turns.empty() || turns.back().role != "user") {
    return InvalidParam("Invalid 'messages': the last message must be the user's.", "messages", "invalid_value");
  }
  r.content = std::move(turns.back().content);
  turns.pop_back();
  r.history = std::move(turns);

  struct NumberParam {
    std::string_view name;
    double lo, hi;
    std::optional<double>* out;
  };
  const NumberParam numbers[] = {{"temperature", 0, 2, &r.sampling.temperature},
                                 {"top_p", 0, 1, &r.sampling.top_p},
                                 {"presence_penalty", -2, 2, &r.sampling.presence_penalty},
                                 {"frequency_penalty", -2, 2, &r.sampling.frequency_penalty}};
  for (const auto& p : numbers) {
    auto v = Number(body, p.name, p.lo, p.hi);
    if (!v) return std::move(v).error();
    *p.out = *v;
  }
  for (const char* name : {"max_completion_tokens", "max_tokens"}) {
    const auto* v = body.if_contains(name);
    if (v == nullptr || v->is_null() || r.sampling.max_tokens) continue;
    if (!v->is_int64() && !v->is_uint64()) return WrongType(name, "an integer", *v);
    const auto n =
        v->is_int64() ? v->as_int64() : static_cast<std::int64_t>(std::min<std::uint64_t>(v->as_uint64(), INT64_MAX));
    if (n < 1) {
      return InvalidParam(std::string("Invalid '") + name + "': integer below minimum value. Expected a value >= 1.",
                          name, "integer_below_min_value");
    }
    r.sampling.max_tokens = n;
  }
  if (const auto* n = body.if_contains("n"); n != nullptr && !n->is_null()) {
    if (!n->is_int64() && !n->is_uint64()) return WrongType("n", "an integer", *n);
    if (!(n->is_int64() && n->as_int64() == 1)) {
      return InvalidParam("Invalid 'n': this gateway returns one choice (n must be 1).", "n", "invalid_value");
    }
  }
  if (const auto* stop = body.if_contains("stop"); stop != nullptr && !stop->is_null()) {
    if (stop->is_string()) {
      r.sampling.stop.emplace_back(stop->as_string());
    } else if (stop->is_array() && stop->as_array().size() <= 4) {
      for (const auto& s : stop->as_array()) {
        if (!s.is_string()) return WrongType("stop", "a string or an array of strings", s);
        r.sampling.stop.emplace_back(s.as_string());
      }
    } else if (stop->is_array()) {
      return InvalidParam("Invalid 'stop': expected an array of at most 4 strings.", "stop", "invalid_value");
    } else {
      return WrongType("stop", "a string or an array of strings", *stop);
    }
  }
  if (const auto* stream = body.if_contains("stream"); stream != nullptr && !stream->is_null()) {
    if (!stream->is_bool()) return WrongType("stream", "a boolean", *stream);
    r.stream = stream->as_bool();
  }
  if (const auto* opts = body.if_contains("stream_options"); opts != nullptr && !opts->is_null()) {
    if (!r.stream) {
      return InvalidParam("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options",
                          "invalid_value");
    }
    if (!opts->is_object()) return WrongType("stream_options", "an object", *opts);
    if (const auto* u = opts->as_object().if_contains("include_usage"); u != nullptr && !u->is_null()) {
      if (!u->is_bool()) return WrongType("stream_options.include_usage", "a boolean", *u);
      r.include_usage = u->as_bool();
    }
  }
  if (const auto* user = body.if_contains("user"); user != nullptr && !user->is_null()) {
    if (!user->is_string()) return WrongType("user", "a string", *user);
    r.user = std::string(user->as_string());
  }
  return r;
}

}  // namespace atrium::dialects::openai
