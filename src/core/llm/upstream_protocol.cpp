#include "core/llm/upstream_protocol.hpp"

#include <boost/json.hpp>
#include <cmath>

namespace atrium::core::llm::protocol {

namespace json = boost::json;

namespace {

Error Malformed(std::string internal) {
  return Error(ErrorCode::kUnavailable, "The LLM upstream sent an answer that cannot be read", std::move(internal))
      .WithReason(Reason::kLlmUnavailable);
}

std::optional<json::value> Parse(std::string_view body) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 64;
  auto v = json::parse(body, ec, {}, options);
  if (ec) return std::nullopt;
  return v;
}

std::string Text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<std::int64_t> Int(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->as_uint64());
  }
  if (v->is_double()) {
    // An integer written as a float ("3.0", "1e3"); one out of int64's range (or NaN)
    // is no count at all, and casting it would be undefined.
    const double d = v->as_double();
    if (std::isfinite(d) && d >= -9.2e18 && d <= 9.2e18) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

std::optional<TokenUsage> Usage(const json::object& o) {
  const auto* u = o.if_contains("usage");
  if (u == nullptr || !u->is_object()) return std::nullopt;
  const auto& uo = u->as_object();
  TokenUsage usage;
  usage.prompt_tokens = Int(uo.if_contains("prompt_tokens")).value_or(0);
  usage.completion_tokens = Int(uo.if_contains("completion_tokens")).value_or(0);
  usage.total_tokens = Int(uo.if_contains("total_tokens")).value_or(usage.prompt_tokens + usage.completion_tokens);
  return usage;
}

// Text of a message's content: a string, or the text parts of an array of parts.
std::string ContentText(const json::value* content) {
  if (content == nullptr) return {};
  if (content->is_string()) return std::string(content->as_string());
  std::string out;
  if (content->is_array()) {
    for (const auto& part : content->as_array()) {
      if (part.is_object()) out += Text(part.as_object(), "text");
    }
  }
  return out;
}

std::optional<Error> ErrorObject(const json::object& o, int status) {
  const auto* e = o.if_contains("error");
  if (e == nullptr) return std::nullopt;
  return DecodeError(status, json::serialize(json::object{{"error", *e}}));
}

}  // namespace

std::string ChatRequestBody(const GenerationRequest& request, const std::string& model, bool stream) {
  json::object body;
  body["model"] = model;
  json::array messages;
  if (!request.system_prompt.empty()) {
    messages.push_back(json::object{{"role", "system"}, {"content", request.system_prompt}});
  }
  for (const auto& m : request.messages) {
    messages.push_back(json::object{{"role", m.role}, {"content", m.content}});
  }
  body["messages"] = std::move(messages);
  const auto& s = request.sampling;
  if (s.temperature) body["temperature"] = *s.temperature;
  if (s.top_p) body["top_p"] = *s.top_p;
  if (s.max_tokens) body["max_tokens"] = *s.max_tokens;
  if (s.presence_penalty) body["presence_penalty"] = *s.presence_penalty;
  if (s.frequency_penalty) body["frequency_penalty"] = *s.frequency_penalty;
  if (!s.stop.empty()) {
    json::array stop;
    for (const auto& x : s.stop) stop.emplace_back(x);
    body["stop"] = std::move(stop);
  }
  if (!request.user.empty()) body["user"] = request.user;
  body["stream"] = stream;
  if (stream) body["stream_options"] = json::object{{"include_usage", true}};
  return json::serialize(body);
}

Result<GenerationResult> DecodeChatResponse(std::string_view body) {
  auto v = Parse(body);
  if (!v || !v->is_object()) return Malformed("chat answer is not a JSON object");
  const auto& o = v->as_object();
  if (auto e = ErrorObject(o, 502)) return *e;
  const auto* choices = o.if_contains("choices");
  if (choices == nullptr || !choices->is_array() || choices->as_array().empty() ||
      !choices->as_array()[0].is_object()) {
    return Malformed("chat answer has no choices");
  }
  const auto& choice = choices->as_array()[0].as_object();
  const auto* message = choice.if_contains("message");
  if (message == nullptr || !message->is_object()) return Malformed("chat answer has no message");
  GenerationResult result;
  result.model = Text(o, "model");
  result.content = ContentText(message->as_object().if_contains("content"));
  result.finish_reason = Text(choice, "finish_reason");
  if (auto usage = Usage(o)) result.usage = *usage;
  return result;
}

Result<StreamChunk> DecodeStreamChunk(std::string_view data) {
  StreamChunk chunk;
  auto trimmed = data;
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n')) trimmed.remove_suffix(1);
  if (trimmed == "[DONE]") {
    chunk.done = true;
    return chunk;
  }
  auto v = Parse(data);
  if (!v || !v->is_object()) return Malformed("stream chunk is not a JSON object");
  const auto& o = v->as_object();
  if (auto e = ErrorObject(o, 502)) {
    chunk.error = *e;
    return chunk;
  }
  chunk.model = Text(o, "model");
  chunk.usage = Usage(o);
  if (const auto* choices = o.if_contains("choices"); choices != nullptr && choices->is_array()) {
    for (const auto& c : choices->as_array()) {
      if (!c.is_object()) continue;
      const auto& co = c.as_object();
      if (auto index = Int(co.if_contains("index")); index && *index != 0) continue;  // only the first choice
      if (const auto* delta = co.if_contains("delta"); delta != nullptr && delta->is_object()) {
        chunk.delta += ContentText(delta->as_object().if_contains("content"));
      }
      if (const auto* finish = co.if_contains("finish_reason"); finish != nullptr && finish->is_string()) {
        chunk.finish_reason = std::string(finish->as_string());
      }
    }
  }
  return chunk;
}

Error DecodeError(int status, std::string_view body) {
  std::string message;
  if (auto v = Parse(body); v && v->is_object()) {
    if (const auto* e = v->as_object().if_contains("error")) {
      if (e->is_object()) message = Text(e->as_object(), "message");
      if (e->is_string()) message = std::string(e->as_string());
    }
  }
  const std::string internal = "upstream answered " + std::to_string(status) + (message.empty() ? "" : ": " + message);
  if (status == 400 || status == 422) {
    // The upstream found the request itself wrong (a parameter out of its range): the
    // client may learn why.
    if (message.empty() || message.size() > 500) message = "The LLM upstream rejected the request";
    return Error(ErrorCode::kInvalidArgument, message, internal).WithReason(Reason::kLlmRejected);
  }
  if (status == 404) {
    return Error(ErrorCode::kNotFound, "The model does not exist upstream", internal)
        .WithReason(Reason::kModelNotFound);
  }
  if (status == 429) {
    return Error(ErrorCode::kResourceExhausted, "The LLM upstream is rate limiting requests", internal)
        .WithReason(Reason::kLlmRateLimited);
  }
  return Error(ErrorCode::kUnavailable, "The LLM upstream is unavailable", internal)
      .WithReason(Reason::kLlmUnavailable);
}

bool Retryable(int status) { return status == 408 || status == 409 || status == 429 || status >= 500; }

std::string EmbeddingRequestBody(const EmbeddingRequest& request, const std::string& model) {
  json::object body;
  body["model"] = model;
  json::array input;
  for (const auto& s : request.inputs) input.emplace_back(s);
  body["input"] = std::move(input);
  body["encoding_format"] = "float";
  if (request.dimensions) body["dimensions"] = *request.dimensions;
  if (!request.user.empty()) body["user"] = request.user;
  return json::serialize(body);
}

Result<EmbeddingResult> DecodeEmbeddingResponse(std::string_view body) {
  auto v = Parse(body);
  if (!v || !v->is_object()) return Malformed("embedding answer is not a JSON object");
  const auto& o = v->as_object();
  const auto* data = o.if_contains("data");
  if (data == nullptr || !data->is_array()) return Malformed("embedding answer has no data");
  EmbeddingResult result;
  result.model = Text(o, "model");
  result.vectors.resize(data->as_array().size());
  for (const auto& item : data->as_array()) {
    if (!item.is_object()) return Malformed("embedding item is not an object");
    const auto& io = item.as_object();
    const auto index = Int(io.if_contains("index")).value_or(-1);
    const auto* emb = io.if_contains("embedding");
    if (index < 0 || static_cast<std::size_t>(index) >= result.vectors.size() || emb == nullptr || !emb->is_array()) {
      return Malformed("embedding item has no index or vector");
    }
    auto& vec = result.vectors[static_cast<std::size_t>(index)];
    for (const auto& x : emb->as_array()) {
      if (!x.is_number()) return Malformed("embedding vector holds a non-number");
      vec.push_back(x.to_number<double>());
    }
  }
  if (auto usage = Usage(o)) result.usage = *usage;
  return result;
}

std::string ImageRequestBody(const ImageRequest& request, const std::string& model) {
  json::object body;
  if (!model.empty()) body["model"] = model;
  body["prompt"] = request.prompt;
  body["n"] = request.n;
  if (!request.size.empty()) body["size"] = request.size;
  body["response_format"] = "b64_json";
  if (!request.user.empty()) body["user"] = request.user;
  if (!request.negative_prompt.empty()) body["negative_prompt"] = request.negative_prompt;
  if (!request.input_images.empty()) {
    json::array images;
    for (const auto& image : request.input_images) images.emplace_back(image);
    body["image"] = std::move(images);
  }
  return json::serialize(body);
}

Result<ImageResult> DecodeImageResponse(std::string_view body) {
  auto v = Parse(body);
  if (!v || !v->is_object()) return Malformed("image answer is not a JSON object");
  const auto* data = v->as_object().if_contains("data");
  if (data == nullptr || !data->is_array()) return Malformed("image answer has no data");
  ImageResult result;
  for (const auto& item : data->as_array()) {
    if (!item.is_object()) continue;
    const auto& io = item.as_object();
    ImageResult::Image image{Text(io, "b64_json"), Text(io, "url"), Text(io, "revised_prompt")};
    if (image.b64_png.empty() && image.url.empty()) return Malformed("image item has neither data nor url");
    result.images.push_back(std::move(image));
  }
  return result;
}

std::int64_t EstimateTokens(std::string_view text) {
  if (text.empty()) return 0;
  return static_cast<std::int64_t>((text.size() + 3) / 4);
}

}  // namespace atrium::core::llm::protocol
