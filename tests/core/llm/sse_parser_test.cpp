#include "core/llm/sse_parser.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace atrium::core::llm {
namespace {

std::vector<SseEvent> FeedAll(SseParser& p, const std::vector<std::string>& pieces) {
  std::vector<SseEvent> out;
  for (const auto& piece : pieces) {
    EXPECT_TRUE(p.Feed(piece, [&](const SseEvent& e) { out.push_back(e); }));
  }
  return out;
}

std::vector<std::string> Data(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.data);
  return out;
}

TEST(SseParserTest, ParsesOpenAiChunksAndTheDoneSentinel) {
  SseParser p;
  auto events = FeedAll(p, {"data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n"});
  EXPECT_EQ(Data(events), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "[DONE]"}));
  EXPECT_EQ(events[0].event, "");
}

TEST(SseParserTest, EveryByteSplitGivesTheSameEvents) {
  const std::string stream = "event: message\r\ndata: one\r\ndata: two\r\n\r\n: comment\n\ndata:three\r\rdata: 4\n\n";
  SseParser whole;
  const auto expected = FeedAll(whole, {stream});
  ASSERT_EQ(Data(expected), (std::vector<std::string>{"one\ntwo", "three", "4"}));
  EXPECT_EQ(expected[0].event, "message");
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    SseParser p;
    auto got = FeedAll(p, {stream.substr(0, cut), stream.substr(cut)});
    EXPECT_EQ(Data(got), Data(expected)) << "cut at " << cut;
  }
  SseParser bytes;
  std::vector<std::string> singles;
  for (const char c : stream) singles.emplace_back(1, c);
  EXPECT_EQ(Data(FeedAll(bytes, singles)), Data(expected));
}

TEST(SseParserTest, CommentsAndUnknownFieldsAreIgnoredAndBlankLinesWithoutDataEmitNothing) {
  SseParser p;
  auto events = FeedAll(p, {": keep-alive\n\nretry: 100\nfoo: bar\n\n\n\ndata\n\n"});
  // "data" without a colon is a data field with an empty value.
  EXPECT_EQ(Data(events), (std::vector<std::string>{""}));
}

TEST(SseParserTest, OnlyOneLeadingSpaceIsStrippedAndIdIsSticky) {
  SseParser p;
  auto events = FeedAll(p, {"id: 7\ndata:  two spaces\n\ndata: x\n\n"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data, " two spaces");
  EXPECT_EQ(events[0].id, "7");
  EXPECT_EQ(events[1].id, "7");
}

TEST(SseParserTest, ByteOrderMarkIsSkippedEvenWhenSplit) {
  SseParser p;
  auto events = FeedAll(p, {"\xEF", "\xBB",
                            "\xBF"
                            "data: a\n\n"});
  EXPECT_EQ(Data(events), (std::vector<std::string>{"a"}));
  SseParser q;
  // Not a mark: the line's field is "\xEF" + "data", unknown, so no event.
  EXPECT_TRUE(FeedAll(q, {"\xEF"
                          "data: b\n\n"})
                  .empty());
}

TEST(SseParserTest, AnIncompleteEventIsNotEmitted) {
  SseParser p;
  auto events = FeedAll(p, {"data: partial\n"});
  EXPECT_TRUE(events.empty());
}

TEST(SseParserTest, OversizedLinesAndEventsFailForGood) {
  SseParser p(16);
  std::vector<SseEvent> out;
  EXPECT_FALSE(p.Feed("data: 0123456789abcdefghij", [&](const SseEvent& e) { out.push_back(e); }));
  EXPECT_TRUE(p.failed());
  EXPECT_FALSE(p.Feed("\n\n", [&](const SseEvent& e) { out.push_back(e); }));
  EXPECT_TRUE(out.empty());

  SseParser q(16);
  EXPECT_FALSE(q.Feed("data: 0123456\ndata: 0123456\ndata: 0123456\n", [&](const SseEvent& e) { out.push_back(e); }));
  EXPECT_TRUE(q.failed());
}

}  // namespace
}  // namespace atrium::core::llm
