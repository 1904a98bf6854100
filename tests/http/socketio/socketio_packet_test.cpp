#include "http/socketio/socketio_packet.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace atrium::http::socketio {
namespace {

namespace json = boost::json;

Packet Parse(std::string_view text, std::size_t max_attachments = 10) {
  auto parsed = ParsePacket(text, max_attachments);
  if (auto* e = std::get_if<ParseError>(&parsed)) ADD_FAILURE() << text << ": " << e->message;
  return std::get_if<Packet>(&parsed) ? std::get<Packet>(parsed) : Packet{};
}

std::string Refusal(std::string_view text, std::size_t max_attachments = 10) {
  auto parsed = ParsePacket(text, max_attachments);
  if (auto* e = std::get_if<ParseError>(&parsed)) return e->message;
  return "accepted";
}

TEST(SocketIoPacket, ParsesConnectWithAndWithoutNamespaceAndAuth) {
  Packet p = Parse("0");
  EXPECT_EQ(p.type, PacketType::kConnect);
  EXPECT_EQ(p.nsp, "/");
  EXPECT_FALSE(p.data);
  p = Parse("0/admin,{\"token\":\"123\"}");
  EXPECT_EQ(p.nsp, "/admin");
  EXPECT_EQ(json::serialize(*p.data), "{\"token\":\"123\"}");
  EXPECT_EQ(Parse("0/random").nsp, "/random");
}

TEST(SocketIoPacket, ParsesEventsAcksAndIds) {
  Packet p = Parse("2456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
  EXPECT_EQ(p.type, PacketType::kEvent);
  ASSERT_TRUE(p.id);
  EXPECT_EQ(*p.id, 456u);
  EXPECT_EQ(p.data->as_array().size(), 4u);
  p = Parse("3/chat,7[\"ok\"]");
  EXPECT_EQ(p.type, PacketType::kAck);
  EXPECT_EQ(p.nsp, "/chat");
  EXPECT_EQ(*p.id, 7u);
  EXPECT_EQ(Parse("1/chat,").type, PacketType::kDisconnect);
}

TEST(SocketIoPacket, ParsesBinaryHeaders) {
  Packet p = Parse("52-789[\"m\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
  EXPECT_EQ(p.type, PacketType::kBinaryEvent);
  EXPECT_EQ(p.attachments, 2u);
  EXPECT_EQ(*p.id, 789u);
}

TEST(SocketIoPacket, RefusesWhatTheReferenceRefuses) {
  EXPECT_EQ(Refusal("abc"), "unknown packet type");
  EXPECT_EQ(Refusal("7"), "unknown packet type");
  EXPECT_EQ(Refusal("4abc"), "invalid payload");
  EXPECT_EQ(Refusal("2{}"), "invalid payload");
  EXPECT_EQ(Refusal("2abc[\"m\"]"), "invalid payload");
  EXPECT_EQ(Refusal("2[]"), "invalid payload");
  EXPECT_EQ(Refusal("2[\"disconnect\"]"), "invalid payload");
  EXPECT_EQ(Refusal("2[true]"), "invalid payload");
  EXPECT_EQ(Refusal("0[1]"), "invalid payload");
  EXPECT_EQ(Refusal("1{}"), "invalid payload");
  EXPECT_EQ(Refusal("3{}"), "invalid payload");
  EXPECT_EQ(Refusal("5[\"m\"]"), "illegal attachments");
  EXPECT_EQ(Refusal("50-[\"m\"]"), "illegal attachments");
  EXPECT_EQ(Refusal("5x-[\"m\"]"), "illegal attachments");
  EXPECT_EQ(Refusal("511-[\"m\"]"), "too many attachments");
  EXPECT_EQ(Refusal("51-[\"m\",{\"_placeholder\":true,\"num\":1}]"), "illegal attachments");
  EXPECT_EQ(Refusal("21234567890123456[\"m\"]"), "ack id too large");
  EXPECT_EQ(Refusal("2[\"m\"", 10), "invalid payload");
}

TEST(SocketIoPacket, EncodesLikeTheReference) {
  Packet p;
  p.type = PacketType::kConnect;
  p.data = json::object{{"sid", "abc"}};
  EXPECT_EQ(EncodePacket(p), "0{\"sid\":\"abc\"}");
  p.nsp = "/custom";
  EXPECT_EQ(EncodePacket(p), "0/custom,{\"sid\":\"abc\"}");
  Packet ack;
  ack.type = PacketType::kBinaryAck;
  ack.id = 789;
  ack.attachments = 1;
  ack.data = json::array{Placeholder(0)};
  EXPECT_EQ(EncodePacket(ack), "61-789[{\"_placeholder\":true,\"num\":0}]");
  Packet bye;
  bye.type = PacketType::kDisconnect;
  bye.nsp = "/a";
  EXPECT_EQ(EncodePacket(bye), "1/a,");
}

TEST(SocketIoPacket, DecoderCollectsAttachments) {
  Decoder d(10);
  auto first = d.OnText("52-[\"m\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
  EXPECT_TRUE(std::holds_alternative<Decoder::Waiting>(first));
  EXPECT_TRUE(std::holds_alternative<ParseError>(Decoder(10).OnBinary("x")));
  EXPECT_TRUE(std::holds_alternative<Decoder::Waiting>(d.OnBinary(std::string("\x01\x02", 2))));
  auto done = d.OnBinary("\x03");
  ASSERT_TRUE(std::holds_alternative<Packet>(done));
  const Packet& p = std::get<Packet>(done);
  ASSERT_EQ(p.buffers.size(), 2u);
  EXPECT_EQ(p.buffers[0], std::string("\x01\x02", 2));
  EXPECT_EQ(p.buffers[1], "\x03");
  EXPECT_TRUE(std::holds_alternative<Packet>(d.OnText("2[\"next\"]")));
}

TEST(SocketIoPacket, DecoderRefusesTextWhileWaitingForAttachments) {
  Decoder d(10);
  ASSERT_TRUE(std::holds_alternative<Decoder::Waiting>(d.OnText("51-[\"m\",{\"_placeholder\":true,\"num\":0}]")));
  EXPECT_TRUE(std::holds_alternative<ParseError>(d.OnText("2[\"m\"]")));
}

TEST(SocketIoPacket, PlaceholderIndex) {
  EXPECT_EQ(PlaceholderIndex(Placeholder(3)), 3u);
  EXPECT_FALSE(PlaceholderIndex(json::object{{"_placeholder", false}, {"num", 0}}));
  EXPECT_FALSE(PlaceholderIndex(json::object{{"_placeholder", true}, {"num", -1}}));
  EXPECT_FALSE(PlaceholderIndex(json::value("x")));
}

}  // namespace
}  // namespace atrium::http::socketio
