#include "http/socketio/engineio_packet.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace atrium::http::engineio {
namespace {

TEST(EngineIoPacket, DecodesTextFrames) {
  auto p = DecodeText("4hello");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, PacketType::kMessage);
  EXPECT_EQ(p->data, "hello");
  EXPECT_FALSE(p->binary);
  EXPECT_EQ(DecodeText("2")->type, PacketType::kPing);
  EXPECT_EQ(DecodeText("2probe")->data, "probe");
  EXPECT_FALSE(DecodeText(""));
  EXPECT_FALSE(DecodeText("abc"));
  EXPECT_FALSE(DecodeText("7"));
}

TEST(EngineIoPacket, EncodesTextFrames) {
  EXPECT_EQ(EncodeText({PacketType::kPong, "probe", false}), "3probe");
  EXPECT_EQ(EncodeText({PacketType::kNoop, "", false}), "6");
}

TEST(EngineIoPacket, DecodesPayloadsWithRecordSeparator) {
  auto packets = DecodePayload(
      "4test1\x1e"
      "4test2\x1e"
      "bAQIDBA==",
      100);
  ASSERT_TRUE(packets);
  ASSERT_EQ(packets->size(), 3u);
  EXPECT_EQ((*packets)[0], (Packet{PacketType::kMessage, "test1", false}));
  EXPECT_EQ((*packets)[1], (Packet{PacketType::kMessage, "test2", false}));
  EXPECT_EQ((*packets)[2], (Packet{PacketType::kMessage, std::string("\x01\x02\x03\x04"), true}));
}

TEST(EngineIoPacket, RefusesMalformedPayloads) {
  EXPECT_FALSE(DecodePayload("abc", 100));
  EXPECT_FALSE(DecodePayload("", 100));
  EXPECT_FALSE(DecodePayload("4a\x1e", 100));  // empty last record
  EXPECT_FALSE(DecodePayload("b!!!!", 100));
  EXPECT_FALSE(
      DecodePayload("4a\x1e"
                    "4b\x1e"
                    "4c",
                    2));  // over the packet bound
}

TEST(EngineIoPacket, EncodesPayloads) {
  EXPECT_EQ(EncodePayload({{PacketType::kMessage, "hello", false}, {PacketType::kMessage, "\x01\x02\x03\x04", true}}),
            "4hello\x1e"
            "bAQIDBA==");
  EXPECT_EQ(EncodePayload({{PacketType::kPing, "", false}}), "2");
}

TEST(EngineIoPacket, Base64RoundTripsAndIsStrict) {
  for (const std::string& s :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)}) {
    auto back = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(back) << s;
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_FALSE(Base64Decode("Zm8"));
  EXPECT_FALSE(Base64Decode("Zm=8"));
  EXPECT_FALSE(Base64Decode("Zm9v!mFy"));
  EXPECT_FALSE(Base64Decode("Zg==Zg=="));
}

}  // namespace
}  // namespace atrium::http::engineio
