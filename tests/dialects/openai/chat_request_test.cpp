#include "dialects/openai/chat_request.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace atrium::dialects::openai {
namespace {

http::Result<ChatRequest> Parse(std::string_view json) {
  return ParseChatRequest(boost::json::parse(json).as_object());
}

// The error's param and code, as "param|code".
std::string Refusal(std::string_view json) {
  auto r = Parse(json);
  if (r) return "accepted";
  const auto* e = &r.error();
  EXPECT_EQ(e->status, 400);
  const auto* param = e->details.if_contains("param");
  return std::string(param ? param->as_string() : "") + "|" + e->code.value_or("");
}

TEST(OpenAiChatRequestTest, SplitsSystemHistoryAndTheLastUserMessage) {
  auto r = Parse(R"({"model":"m","messages":[
      {"role":"system","content":"Be brief."},
      {"role":"developer","content":[{"type":"text","text":"Be kind."}]},
      {"role":"user","content":"hi"},
      {"role":"assistant","content":"hello"},
      {"role":"user","content":[{"type":"text","text":"part one"},{"type":"text","text":"part two"}]}],
      "temperature":0.5,"top_p":1,"max_completion_tokens":12,"max_tokens":99,"presence_penalty":-2,
      "frequency_penalty":2,"stop":["a","b"],"n":1,"stream":true,"stream_options":{"include_usage":true},
      "user":"u","logit_bias":{}})");
  ASSERT_TRUE(r.ok());
  const auto& c = *r;
  EXPECT_EQ(c.model, "m");
  EXPECT_EQ(c.system_prompt, "Be brief.\n\nBe kind.");
  ASSERT_EQ(c.history.size(), 2u);
  EXPECT_EQ(c.history[1].role, "assistant");
  EXPECT_EQ(c.content, "part one\npart two");
  EXPECT_EQ(c.sampling.temperature, std::optional<double>(0.5));
  EXPECT_EQ(c.sampling.max_tokens, std::optional<std::int64_t>(12));  // max_completion_tokens wins
  EXPECT_EQ(c.sampling.stop, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(c.stream);
  EXPECT_TRUE(c.include_usage);
  EXPECT_EQ(c.user, "u");
}

TEST(OpenAiChatRequestTest, RefusesWhatOpenAiRefusesNamingTheParameter) {
  EXPECT_EQ(Refusal(R"({"messages":[{"role":"user","content":"x"}]})"), "model|");
  EXPECT_EQ(Refusal(R"({"model":5,"messages":[{"role":"user","content":"x"}]})"), "model|invalid_type");
  EXPECT_EQ(Refusal(R"({"model":"m"})"), "messages|missing_required_parameter");
  EXPECT_EQ(Refusal(R"({"model":"","messages":[{"role":"user","content":"x"}]})"), "model|");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":[]})"), "messages|empty_array");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":[3]})"), "messages[0]|invalid_type");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":[{"content":"x"}]})"), "messages[0].role|missing_required_parameter");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":[{"role":"tool","content":"x"}]})"), "messages[0].role|invalid_value");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":[{"role":"user","content":[{"type":"image_url"}]}]})"),
            "messages[0].content|invalid_value");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":[{"role":"assistant","content":"x"}]})"), "messages|invalid_value");
  const std::string ok = R"("model":"m","messages":[{"role":"user","content":"x"}])";
  EXPECT_EQ(Refusal("{" + ok + R"(,"temperature":2.1})"), "temperature|decimal_above_max_value");
  EXPECT_EQ(Refusal("{" + ok + R"(,"top_p":-0.1})"), "top_p|decimal_below_min_value");
  EXPECT_EQ(Refusal("{" + ok + R"(,"presence_penalty":"x"})"), "presence_penalty|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"max_tokens":0})"), "max_tokens|integer_below_min_value");
  EXPECT_EQ(Refusal("{" + ok + R"(,"max_tokens":1.5})"), "max_tokens|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"n":2})"), "n|invalid_value");
  EXPECT_EQ(Refusal("{" + ok + R"(,"stop":["a","b","c","d","e"]})"), "stop|invalid_value");
  EXPECT_EQ(Refusal("{" + ok + R"(,"stream":"yes"})"), "stream|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"stream_options":{"include_usage":true}})"), "stream_options|invalid_value");
  EXPECT_EQ(Refusal("{" + ok + R"(,"user":7})"), "user|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"stop":5})"), "stop|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"temperature":null,"stream":null})"), "accepted");
}

// A value of the wrong JSON type is invalid_type for every field, whatever the value,
// and the message says what was expected and what came.
TEST(OpenAiChatRequestTest, AWrongTypeIsInvalidTypeForEveryField) {
  const std::string ok = R"("model":"m","messages":[{"role":"user","content":"x"}])";
  EXPECT_EQ(Refusal("{" + ok + R"(,"n":"1"})"), "n|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"n":1.5})"), "n|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"n":true})"), "n|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"n":1})"), "accepted");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":"hi"})"), "messages|invalid_type");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":{"role":"user"}})"), "messages|invalid_type");
  EXPECT_EQ(Refusal(R"({"model":["m"],"messages":[{"role":"user","content":"x"}]})"), "model|invalid_type");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":[{"role":1,"content":"x"}]})"), "messages[0].role|invalid_type");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":[{"role":"user","content":5}]})"), "messages[0].content|invalid_type");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":[{"role":"user","content":[7]}]})"),
            "messages[0].content[0]|invalid_type");
  EXPECT_EQ(Refusal(R"({"model":"m","messages":[{"role":"user","content":[{"type":"text","text":1}]}]})"),
            "messages[0].content[0].text|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"max_completion_tokens":"9"})"), "max_completion_tokens|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"temperature":[1]})"), "temperature|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"stop":{"a":1}})"), "stop|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"stop":[1]})"), "stop|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"stream":1})"), "stream|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"stream":true,"stream_options":[]})"), "stream_options|invalid_type");
  EXPECT_EQ(Refusal("{" + ok + R"(,"stream":true,"stream_options":{"include_usage":"yes"}})"),
            "stream_options.include_usage|invalid_type");

  auto r = Parse("{" + ok + R"(,"n":"1"})");
  EXPECT_EQ(r.error().message, "Invalid type for 'n': expected an integer, but got a string instead.");
  r = Parse("{" + ok + R"(,"temperature":true})");
  EXPECT_EQ(r.error().message, "Invalid type for 'temperature': expected a decimal, but got a boolean instead.");
}

}  // namespace
}  // namespace atrium::dialects::openai
