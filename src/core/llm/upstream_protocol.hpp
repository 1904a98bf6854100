#pragma once
// The OpenAI-compatible wire protocol every upstream speaks (llama.cpp's server, vLLM,
// Ollama, OpenRouter, OpenAI): request bodies built from neutral requests, and answers,
// stream chunks and error bodies decoded back into neutral values. Pure code.

#include <optional>
#include <string>
#include <string_view>

#include "core/llm/generation.hpp"
#include "core/result.hpp"

namespace atrium::core::llm::protocol {

// POST {base}/chat/completions. Streams ask for usage in the last chunk.
std::string ChatRequestBody(const GenerationRequest& request, const std::string& model, bool stream);

// A non-streamed chat.completion. kUnavailable when the body is not one.
Result<GenerationResult> DecodeChatResponse(std::string_view body);

// One `data:` payload of a streamed answer.
struct StreamChunk {
  bool done = false;  // the "[DONE]" sentinel
  std::string model;
  std::string delta;
  std::optional<std::string> finish_reason;
  std::optional<TokenUsage> usage;
  std::optional<Error> error;  // an error object sent inside the stream
};
// kUnavailable when the payload is neither a chunk, an error nor "[DONE]".
Result<StreamChunk> DecodeStreamChunk(std::string_view data);

// The neutral error for a non-2xx answer. Reasons: "llm_rejected" (400/422: the
// upstream's own message is passed on), "model_not_found" (404), "llm_rate_limited"
// (429), "llm_unavailable" (401/403 - a configuration problem on our side - and 5xx).
Error DecodeError(int status, std::string_view body);
// Whether a failed attempt may be tried again (before any token): 408, 409, 429, 5xx.
bool Retryable(int status);

std::string EmbeddingRequestBody(const EmbeddingRequest& request, const std::string& model);
Result<EmbeddingResult> DecodeEmbeddingResponse(std::string_view body);

std::string ImageRequestBody(const ImageRequest& request, const std::string& model);
Result<ImageResult> DecodeImageResponse(std::string_view body);

// About four bytes of UTF-8 text per token, never zero for non-empty text: the count
// used when an upstream reports no usage.
std::int64_t EstimateTokens(std::string_view text);

}  // namespace atrium::core::llm::protocol
