#include "core/llm/upstream_protocol.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace atrium::core::llm::protocol {
namespace {

TEST(UpstreamProtocolTest, ChatRequestCarriesSystemPromptHistoryAndSampling) {
  GenerationRequest r;
  r.system_prompt = "Be brief.";
  r.messages = {{"user", "hi"}, {"assistant", "hello"}, {"user", "again"}};
  r.sampling.temperature = 0.5;
  r.sampling.top_p = 0.9;
  r.sampling.max_tokens = 12;
  r.sampling.presence_penalty = 0.1;
  r.sampling.frequency_penalty = -0.2;
  r.sampling.stop = {"END"};
  r.user = "u1";
  const auto body = boost::json::parse(ChatRequestBody(r, "m", true)).as_object();
  EXPECT_EQ(body.at("model"), "m");
  const auto& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0].at("role"), "system");
  EXPECT_EQ(messages[0].at("content"), "Be brief.");
  EXPECT_EQ(messages[3].at("content"), "again");
  EXPECT_EQ(body.at("temperature").as_double(), 0.5);
  EXPECT_EQ(body.at("top_p").as_double(), 0.9);
  EXPECT_EQ(body.at("max_tokens").as_int64(), 12);
  EXPECT_EQ(body.at("presence_penalty").as_double(), 0.1);
  EXPECT_EQ(body.at("frequency_penalty").as_double(), -0.2);
  EXPECT_EQ(body.at("stop").as_array()[0], "END");
  EXPECT_EQ(body.at("user"), "u1");
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("stream_options").at("include_usage"), true);

  const auto plain = boost::json::parse(ChatRequestBody(GenerationRequest{}, "m", false)).as_object();
  EXPECT_FALSE(plain.contains("temperature"));
  EXPECT_FALSE(plain.contains("stream_options"));
  EXPECT_EQ(plain.at("messages").as_array().size(), 0u);
}

TEST(UpstreamProtocolTest, DecodesACompletion) {
  auto r = DecodeChatResponse(
      R"({"id":"x","model":"m1","choices":[{"index":0,"message":{"role":"assistant","content":"Hi there"},)"
      R"("finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})");
  ASSERT_TRUE(r) << r.error().internal_message();
  EXPECT_EQ(r->content, "Hi there");
  EXPECT_EQ(r->model, "m1");
  EXPECT_EQ(r->finish_reason, "length");
  EXPECT_EQ(r->usage.prompt_tokens, 3);
  EXPECT_EQ(r->usage.completion_tokens, 2);
  EXPECT_EQ(r->usage.total_tokens, 5);
  EXPECT_FALSE(r->usage.estimated);

  EXPECT_EQ(DecodeChatResponse("nope").error().reason(), Reason::kLlmUnavailable);
  EXPECT_EQ(DecodeChatResponse(R"({"choices":[]})").error().code(), ErrorCode::kUnavailable);
}

// Found by fuzz_sse: a number past int64's range (or written as a float) is no count,
// never an undefined cast.
TEST(UpstreamProtocolTest, NumbersOutOfRangeAreNoCounts) {
  auto chunk = DecodeStreamChunk(
      R"({"choices":[{"index":1555555555555555555555555555555555555,"delta":{"content":"hi"}}],)"
      R"("usage":{"prompt_tokens":1e300,"completion_tokens":2.0,"total_tokens":-1e300}})");
  ASSERT_TRUE(chunk);
  ASSERT_TRUE(chunk->usage);
  EXPECT_EQ(chunk->usage->prompt_tokens, 0);
  EXPECT_EQ(chunk->usage->completion_tokens, 2);
  EXPECT_EQ(chunk->usage->total_tokens, 2);  // no usable total: the sum of the two
}

TEST(UpstreamProtocolTest, DecodesStreamChunks) {
  auto role = DecodeStreamChunk(R"({"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})");
  ASSERT_TRUE(role);
  EXPECT_EQ(role->delta, "");
  EXPECT_FALSE(role->finish_reason);
  auto text = DecodeStreamChunk(R"({"choices":[{"index":0,"delta":{"content":" world"},"finish_reason":null}]})");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->delta, " world");
  auto finish = DecodeStreamChunk(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null})");
  ASSERT_TRUE(finish);
  EXPECT_EQ(finish->finish_reason, std::optional<std::string>("stop"));
  EXPECT_FALSE(finish->usage);
  auto usage =
      DecodeStreamChunk(R"({"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":6,"total_tokens":10}})");
  ASSERT_TRUE(usage);
  ASSERT_TRUE(usage->usage);
  EXPECT_EQ(usage->usage->total_tokens, 10);
  auto done = DecodeStreamChunk("[DONE]");
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->done);
  auto error = DecodeStreamChunk(R"({"error":{"message":"boom","type":"server_error"}})");
  ASSERT_TRUE(error);
  ASSERT_TRUE(error->error);
  EXPECT_EQ(error->error->reason(), Reason::kLlmUnavailable);
  EXPECT_FALSE(DecodeStreamChunk("{not json"));
}

TEST(UpstreamProtocolTest, ErrorsMapToNeutralReasons) {
  const auto rejected =
      DecodeError(400, R"({"error":{"message":"Invalid 'max_tokens'.","type":"invalid_request_error"}})");
  EXPECT_EQ(rejected.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(rejected.reason(), Reason::kLlmRejected);
  EXPECT_EQ(rejected.safe_message(), "Invalid 'max_tokens'.");
  EXPECT_EQ(DecodeError(404, "{}").reason(), Reason::kModelNotFound);
  EXPECT_EQ(DecodeError(429, "{}").code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(DecodeError(429, "{}").reason(), Reason::kLlmRateLimited);
  const auto server = DecodeError(500, R"({"error":{"message":"secret internals"}})");
  EXPECT_EQ(server.reason(), Reason::kLlmUnavailable);
  EXPECT_EQ(server.safe_message(), "The LLM upstream is unavailable");
  EXPECT_EQ(server.internal_message(), "upstream answered 500: secret internals");
  EXPECT_EQ(DecodeError(401, "{}").reason(), Reason::kLlmUnavailable);  // our key is wrong: not the client's business
  EXPECT_TRUE(Retryable(429));
  EXPECT_TRUE(Retryable(503));
  EXPECT_FALSE(Retryable(400));
  EXPECT_FALSE(Retryable(404));
}

TEST(UpstreamProtocolTest, EmbeddingsAndImages) {
  EmbeddingRequest e;
  e.inputs = {"a b", "c"};
  const auto body = boost::json::parse(EmbeddingRequestBody(e, "emb")).as_object();
  EXPECT_EQ(body.at("input").as_array().size(), 2u);
  auto decoded = DecodeEmbeddingResponse(
      R"({"data":[{"index":1,"embedding":[0.5,1]},{"index":0,"embedding":[0.25,-1]}],"model":"emb",)"
      R"("usage":{"prompt_tokens":3,"total_tokens":3}})");
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->vectors.size(), 2u);
  EXPECT_EQ(decoded->vectors[0], (std::vector<double>{0.25, -1}));
  EXPECT_EQ(decoded->vectors[1], (std::vector<double>{0.5, 1}));
  EXPECT_EQ(decoded->usage.total_tokens, 3);
  EXPECT_FALSE(DecodeEmbeddingResponse(R"({"data":[{"index":5,"embedding":[1]}]})"));

  auto images = DecodeImageResponse(R"({"created":1,"data":[{"b64_json":"iVBO"},{"url":"http://x/y.png"}]})");
  ASSERT_TRUE(images);
  ASSERT_EQ(images->images.size(), 2u);
  EXPECT_EQ(images->images[0].b64_png, "iVBO");
  EXPECT_EQ(images->images[1].url, "http://x/y.png");
  EXPECT_FALSE(DecodeImageResponse(R"({"data":[{}]})"));
}

TEST(UpstreamProtocolTest, TokenEstimate) {
  EXPECT_EQ(EstimateTokens(""), 0);
  EXPECT_EQ(EstimateTokens("a"), 1);
  EXPECT_EQ(EstimateTokens("abcd"), 1);
  EXPECT_EQ(EstimateTokens("abcde"), 2);
}

}  // namespace
}  // namespace atrium::core::llm::protocol
