#include "http/stream.hpp"

#include <gtest/gtest.h>

namespace atrium::http {
namespace {

TEST(SseFrameTest, EventAndData) {
  EXPECT_EQ(SseFrame("message", R"({"delta":"Hi"})"), "event: message\ndata: {\"delta\":\"Hi\"}\n\n");
}

TEST(SseFrameTest, NoEventNameMeansTheDefaultEvent) { EXPECT_EQ(SseFrame("", "x"), "data: x\n\n"); }

TEST(SseFrameTest, EveryLineOfDataGetsItsOwnField) {
  EXPECT_EQ(SseFrame("done", "a\nb\n"), "event: done\ndata: a\ndata: b\ndata: \n\n");
}

TEST(SseFrameTest, EmptyData) { EXPECT_EQ(SseFrame("ping", ""), "event: ping\ndata: \n\n"); }

}  // namespace
}  // namespace atrium::http
