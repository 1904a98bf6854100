// Reading a model's extraction reply: JSON as asked, JSON inside prose or a code fence,
// garbage, too many facts, overlong and repeated ones; the first JSON value of a text;
// the normal form facts are compared in; and the decision replies of consolidation.

#include "core/memory/fact_extraction.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "core/llm/json_reply.hpp"
#include "core/memory/memory_consolidation.hpp"

namespace atrium::core::memory {
namespace {

TEST(FirstJsonValue, FindsTheFirstCompleteObjectOrArrayInProse) {
  auto v = llm::FirstJsonValue("Sure! ```json\n{\"a\": [1, 2]}\n``` and {\"b\": 2}");
  ASSERT_TRUE(v);
  EXPECT_EQ(boost::json::serialize(*v), R"({"a":[1,2]})");
  // A bracket that starts no JSON is skipped.
  v = llm::FirstJsonValue("[note] {broken {\"ok\": true} tail");
  ASSERT_TRUE(v);
  EXPECT_EQ(boost::json::serialize(*v), R"({"ok":true})");
  EXPECT_FALSE(llm::FirstJsonValue("no json here"));
  EXPECT_FALSE(llm::FirstJsonValue("{\"unterminated\": [1, 2"));
  EXPECT_FALSE(llm::FirstJsonValue(""));
}

TEST(ParseExtraction, ReadsTheAskedForShape) {
  auto facts = ParseExtraction(
      R"({"facts": [{"text": "User works at XYZ Corp", "type": "fact", "importance": 0.8},
                    {"text": "User prefers dark mode", "type": "Preference", "importance": 0.6},
                    {"text": "User ran a marathon in May", "type": "event"}]})");
  ASSERT_TRUE(facts.ok()) << facts.error().internal_message();
  ASSERT_EQ(facts->size(), 3u);
  EXPECT_EQ((*facts)[0], (ExtractedFact{"User works at XYZ Corp", MemoryType::kFact, 0.8}));
  EXPECT_EQ((*facts)[1], (ExtractedFact{"User prefers dark mode", MemoryType::kPreference, 0.6}));
  EXPECT_EQ((*facts)[2], (ExtractedFact{"User ran a marathon in May", MemoryType::kEvent, 0.5}));
}

TEST(ParseExtraction, ReadsJsonInsideProseAndOtherShapes) {
  auto facts = ParseExtraction("Here are the facts:\n```json\n[\"User has a cat\", {\"fact\": \"User is 34\"}]\n```");
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->size(), 2u);
  EXPECT_EQ((*facts)[0].text, "User has a cat");
  EXPECT_EQ((*facts)[1].text, "User is 34");
  // {"memories": [...]} and a single fact object.
  facts = ParseExtraction(R"({"memories": [{"content": "User lives in Lyon", "importance": 7}]})");
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->size(), 1u);
  EXPECT_EQ((*facts)[0].importance, 1.0);  // clamped
  facts = ParseExtraction(R"(ok {"text": "User likes tea", "type": "opinion", "importance": "high"})");
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->size(), 1u);
  EXPECT_EQ((*facts)[0], (ExtractedFact{"User likes tea", MemoryType::kFact, 0.5}));
}

TEST(ParseExtraction, NothingWorthKeepingIsAnEmptyList) {
  auto facts = ParseExtraction(R"({"facts": []})");
  ASSERT_TRUE(facts.ok());
  EXPECT_TRUE(facts->empty());
}

TEST(ParseExtraction, GarbageIsRefused) {
  for (const char* reply : {"Echo: I live in Paris", "", "{\"facts\": \"User lives in Paris\"}", "{\"answer\": 42}",
                            "42", "{\"facts\": [1, 2"}) {
    auto facts = ParseExtraction(reply);
    ASSERT_FALSE(facts.ok()) << reply;
    EXPECT_EQ(facts.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(facts.error().safe_message(), "The reply holds no list of facts");
  }
  // Items that are no fact are skipped, not fatal.
  auto facts = ParseExtraction(R"({"facts": [1, null, {"type": "fact"}, {"text": "  "}, {"text": "User is real"}]})");
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->size(), 1u);
  EXPECT_EQ((*facts)[0].text, "User is real");
}

TEST(ParseExtraction, TooManyOverlongAndRepeatedFactsAreDropped) {
  std::string many = "[";
  for (int i = 0; i < 15; ++i) many += (i ? "," : "") + std::string("\"User fact number ") + std::to_string(i) + "\"";
  many += "]";
  auto facts = ParseExtraction(many);
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->size(), kMaxFactsPerMessage);
  EXPECT_EQ(facts->back().text, "User fact number 9");

  const std::string longest(kMaxFactBytes, 'a');
  const std::string overlong(kMaxFactBytes + 1, 'b');
  facts = ParseExtraction("[\"" + overlong + "\", \"" + longest + "\", \"User likes tea.\", \"user likes  TEA\"]");
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->size(), 2u);
  EXPECT_EQ((*facts)[0].text, longest);
  EXPECT_EQ((*facts)[1].text, "User likes tea.");
  // Control characters are removed and the ends trimmed, as a saved memory's are.
  facts = ParseExtraction("[\"  User\\u0007 likes jazz \\n\"]");
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->size(), 1u);
  EXPECT_EQ((*facts)[0].text, "User likes jazz");
}

TEST(NormaliseFact, FoldsCaseAndPunctuation) {
  EXPECT_EQ(NormaliseFact("User likes tea."), "user likes tea");
  EXPECT_EQ(NormaliseFact("  user LIKES\ttea!! "), "user likes tea");
  EXPECT_EQ(NormaliseFact("User's café, 2 cups"), "user s café 2 cups");
  EXPECT_EQ(NormaliseFact("..."), "");
  EXPECT_NE(NormaliseFact("User lives in Paris"), NormaliseFact("User lives in Berlin"));
}

TEST(FactExtractionRequest, FramesTheMessageAndAsksForJson) {
  const auto r = FactExtractionRequest("I work at XYZ Corp", "fake-chat");
  EXPECT_EQ(r.model, "fake-chat");
  EXPECT_NE(r.system_prompt.find("facts worth keeping"), std::string::npos);
  EXPECT_NE(r.system_prompt.find("{\"facts\": []}"), std::string::npos);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].role, "user");
  EXPECT_EQ(r.messages[0].content, "The user said:\nI work at XYZ Corp");
  EXPECT_EQ(r.sampling.temperature, 0.0);
  // A long message is cut at a UTF-8 boundary.
  std::string text(kMaxExtractionInput - 1, 'x');
  text += "é";
  const auto cut = FactExtractionRequest(text, "");
  EXPECT_EQ(cut.messages[0].content.size(), std::string("The user said:\n").size() + kMaxExtractionInput - 1);
}

TEST(ParseDecision, ReadsEventIdAndText) {
  auto d = ParseDecision(R"({"event": "UPDATE", "id": "1", "text": "User lives in Berlin"})");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->event, ConsolidationEvent::kUpdate);
  EXPECT_EQ(d->index, std::optional<std::size_t>(1));
  EXPECT_EQ(d->text, "User lives in Berlin");
  d = ParseDecision("Decision: {\"event\": \"delete\", \"id\": 0}");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->event, ConsolidationEvent::kDelete);
  EXPECT_EQ(d->index, std::optional<std::size_t>(0));
  d = ParseDecision(R"({"memory": [{"event": "NONE", "id": "2"}]})");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->event, ConsolidationEvent::kNone);
  d = ParseDecision(R"({"event": "ADD", "id": "mem-uuid"})");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->event, ConsolidationEvent::kAdd);
  EXPECT_FALSE(d->index);
  EXPECT_FALSE(ParseDecision(R"({"event": "MERGE"})"));
  EXPECT_FALSE(ParseDecision(R"({"id": "1"})"));
  EXPECT_FALSE(ParseDecision("UPDATE 1"));
  EXPECT_FALSE(ParseDecision("[]"));
}

}  // namespace
}  // namespace atrium::core::memory
