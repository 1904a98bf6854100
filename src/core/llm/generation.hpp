#pragma once
// Neutral generation requests, results and events: what every dialect asks of the LLM
// gateway and hears back, whatever upstream serves the model.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace atrium::core::llm {

struct ChatMessage {
  std::string role;  // "system", "user" or "assistant"
  std::string content;
};

// Sampling settings; unset ones are left to the upstream's defaults.
struct SamplingOptions {
  std::optional<double> temperature;  // 0..2
  std::optional<double> top_p;        // 0..1
  std::optional<std::int64_t> max_tokens;
  std::optional<double> presence_penalty;   // -2..2
  std::optional<double> frequency_penalty;  // -2..2
  std::vector<std::string> stop;
};

struct GenerationRequest {
  std::string model;                  // empty: the default model
  std::string system_prompt;          // sent first when not empty
  std::vector<ChatMessage> messages;  // history, oldest first, ending with the new turn
  SamplingOptions sampling;
  std::string user;  // an opaque end-user id passed on to the upstream (abuse tracking)
};

struct TokenUsage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
  // True when the upstream gave no usage and these were counted here (about four
  // characters per token).
  bool estimated = false;
};

struct GenerationResult {
  std::string model;     // as the upstream named it
  std::string upstream;  // the configured upstream's name
  std::string content;
  std::string finish_reason;  // "stop", "length", ... ("cancelled" for a stopped stream)
  TokenUsage usage;
  std::chrono::milliseconds generation_time{0};  // from the request to the last token
  std::chrono::milliseconds time_to_first_token{0};
  std::optional<double> cost_usd;  // unset when the model has no known pricing
};

enum class GenerationEventType {
  kStarted,  // the upstream accepted the request (model is known)
  kDelta,    // a piece of the answer
  kUsage,    // token counts as the upstream reported them
  kDone,     // the answer is complete (or was cancelled): result is final
  kError,    // the generation failed; no kDone follows
};

struct GenerationEvent {
  GenerationEventType type;
  std::string delta;           // kDelta
  std::string model;           // kStarted
  TokenUsage usage;            // kUsage
  GenerationResult result;     // kDone
  std::optional<Error> error;  // kError
};

// Receives one generation's events in order: kStarted, kDelta..., kUsage?, then exactly
// one kDone or kError (kError may also come first). Called on the gateway's network
// thread: must be quick and must not block.
using GenerationSink = std::function<void(const GenerationEvent&)>;

// A running streamed generation. Cancel() is thread-safe and idempotent: the upstream
// connection is closed, and the sink then hears kDone with what was generated so far
// (finish_reason "cancelled"), unless the generation had already ended.
class GenerationHandle {
 public:
  virtual ~GenerationHandle() = default;
  virtual void Cancel() = 0;
};

struct EmbeddingRequest {
  std::string model;
  std::vector<std::string> inputs;
  std::optional<std::int64_t> dimensions;
  std::string user;
};

struct EmbeddingResult {
  std::string model;
  std::vector<std::vector<double>> vectors;  // one per input, in order
  TokenUsage usage;
  std::optional<double> cost_usd;
};

struct ImageRequest {
  std::string model;  // may be empty: the upstream's default
  std::string prompt;
  std::int64_t n = 1;
  std::string size;  // "1024x1024"; empty: the upstream's default
  std::string user;
  // Sent only when set, as "negative_prompt" and "image" (reference images as data URIs
  // or URLs): fields that image upstreams beyond OpenAI's own accept.
  std::string negative_prompt;
  std::vector<std::string> input_images;
};

struct ImageResult {
  struct Image {
    std::string b64_png;  // base64 image data, when the upstream sent it inline
    std::string url;      // or where to fetch it
    std::string revised_prompt;
  };
  std::vector<Image> images;
};

// What chat needs of a language model. The gateway implements it; tests fake it.
class Generator {
 public:
  virtual ~Generator() = default;
  // Blocks until the whole answer is in; call it from a worker thread.
  virtual Result<GenerationResult> Generate(const GenerationRequest& request) = 0;
  // Starts a streamed generation and returns at once; events go to `sink`. An error
  // here (unknown model, upstream busy, nothing configured) means no event follows.
  virtual Result<std::shared_ptr<GenerationHandle>> Stream(const GenerationRequest& request, GenerationSink sink) = 0;
  // The model used when a request names none (empty when none is known).
  virtual std::string DefaultModel() = 0;
};

}  // namespace atrium::core::llm
