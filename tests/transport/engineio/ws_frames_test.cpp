#include "transport/engineio/ws_frames.hpp"

#include <gtest/gtest.h>

#include <array>

namespace atrium::transport::wsframe {
namespace {

// A client frame: masked with `key`, FIN as given.
std::string ClientFrame(std::uint8_t opcode, std::string_view payload, bool fin = true,
                        std::array<std::uint8_t, 4> key = {0x12, 0x34, 0x56, 0x78}) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  const std::size_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(0x80 | n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((std::uint64_t{n} >> shift) & 0xFF));
  }
  for (auto k : key) out.push_back(static_cast<char>(k));
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(payload[i] ^ key[i & 3]));
  return out;
}

std::vector<Event> FeedAll(Reader& r, std::string_view bytes) {
  std::vector<Event> out;
  r.Feed(bytes, out);
  return out;
}

TEST(WsFrames, ServerFramesUseTheShortestLengthForm) {
  std::string out;
  AppendFrame(out, Opcode::kText, "4hi");
  EXPECT_EQ(out, std::string("\x81\x03"
                             "4hi",
                             5));
  out.clear();
  AppendHeader(out, Opcode::kBinary, 126);
  EXPECT_EQ(out, std::string("\x82\x7e\x00\x7e", 4));
  out.clear();
  AppendHeader(out, Opcode::kText, 70000);
  EXPECT_EQ(out, std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x11\x70", 10));
  out.clear();
  AppendClose(out, kMessageTooBig);
  EXPECT_EQ(out, std::string("\x88\x02\x03\xf1", 4));
}

TEST(WsFrames, ParsesMaskedMessagesSplitAnywhere) {
  const std::string bytes =
      ClientFrame(0x1, "2probe") + ClientFrame(0x2, std::string(300, 'x')) + ClientFrame(0x1, std::string(70000, 'y'));
  // Byte by byte and all at once give the same messages.
  for (std::size_t step : {std::size_t{1}, std::size_t{7}, bytes.size()}) {
    Reader r(1 << 20);
    std::vector<Event> events;
    for (std::size_t i = 0; i < bytes.size(); i += step) r.Feed(std::string_view(bytes).substr(i, step), events);
    ASSERT_EQ(events.size(), 3u) << step;
    EXPECT_EQ(events[0].data, "2probe");
    EXPECT_FALSE(events[0].binary);
    EXPECT_EQ(events[1].data, std::string(300, 'x'));
    EXPECT_TRUE(events[1].binary);
    EXPECT_EQ(events[2].data.size(), 70000u);
  }
}

TEST(WsFrames, AssemblesFragmentsAroundControlFrames) {
  Reader r(1000);
  auto events = FeedAll(r, ClientFrame(0x1, "4hel", false) + ClientFrame(0x9, "ping!") + ClientFrame(0x0, "lo", false) +
                               ClientFrame(0x0, "!", true));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Event::Kind::kPing);
  EXPECT_EQ(events[0].data, "ping!");
  EXPECT_EQ(events[1].kind, Event::Kind::kMessage);
  EXPECT_EQ(events[1].data, "4hello!");
}

TEST(WsFrames, OversizedMessagesAreRefusedBeforeTheirPayloadArrives) {
  Reader r(10);
  const std::string frame = ClientFrame(0x1, std::string(11, 'z'));
  auto events = FeedAll(r, frame.substr(0, 6));  // header and key only
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Event::Kind::kError);
  EXPECT_EQ(events[0].code, kMessageTooBig);
  EXPECT_TRUE(r.done());

  Reader fragments(10);
  events = FeedAll(fragments, ClientFrame(0x1, "123456", false) + ClientFrame(0x0, "78901", true));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].code, kMessageTooBig);
}

TEST(WsFrames, ProtocolErrors) {
  std::string unmasked("\x81\x02hi", 4);
  std::string rsv = ClientFrame(0x1, "x");
  rsv[0] = static_cast<char>(rsv[0] | 0x40);
  std::string long_ping = ClientFrame(0x9, std::string(126, 'p'));
  std::string fragmented_ping = ClientFrame(0x9, "p", false);
  std::string lone_continuation = ClientFrame(0x0, "x");
  std::string unknown_opcode = ClientFrame(0x3, "x");
  std::string interleaved = ClientFrame(0x1, "a", false) + ClientFrame(0x1, "b");
  std::string one_byte_close = ClientFrame(0x8, "x");
  for (const auto& bytes :
       {unmasked, rsv, long_ping, fragmented_ping, lone_continuation, unknown_opcode, interleaved, one_byte_close}) {
    Reader r(1000);
    auto events = FeedAll(r, bytes);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().kind, Event::Kind::kError);
    EXPECT_EQ(events.back().code, kProtocolError);
  }
}

TEST(WsFrames, CloseEndsParsing) {
  Reader r(1000);
  auto events = FeedAll(r, ClientFrame(0x8, std::string("\x03\xe8", 2)) + ClientFrame(0x1, "after"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Event::Kind::kClose);
  EXPECT_EQ(events[0].code, 1000);
  Reader bare(1000);
  events = FeedAll(bare, ClientFrame(0x8, ""));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].code, 1005);
}

}  // namespace
}  // namespace atrium::transport::wsframe
