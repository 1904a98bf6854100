#pragma once
// Engine.IO protocol v4 packets, as pure code: the text form of one packet (a WebSocket
// text frame), and the HTTP long-polling payload (packets joined by the record separator
// 0x1e, binary packets as 'b' + base64). Nothing here touches a socket.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atrium::http::engineio {

enum class PacketType : char {
  kOpen = '0',
  kClose = '1',
  kPing = '2',
  kPong = '3',
  kMessage = '4',
  kUpgrade = '5',
  kNoop = '6',
};

struct Packet {
  PacketType type = PacketType::kMessage;
  std::string data;     // text after the type digit, or the bytes of a binary message
  bool binary = false;  // only for kMessage

  bool operator==(const Packet&) const = default;
};

inline constexpr char kRecordSeparator = '\x1e';

// One packet from a WebSocket text frame ("4hello"). Nullopt for an empty frame or an
// unknown type digit.
std::optional<Packet> DecodeText(std::string_view frame);
// The text frame of a non-binary packet.
std::string EncodeText(const Packet& packet);

// The packets of a polling POST body. Nullopt when any record is malformed (unknown
// type, bad base64) or when there are more than `max_packets` records.
std::optional<std::vector<Packet>> DecodePayload(std::string_view body, std::size_t max_packets);
// The body of a polling GET answer.
std::string EncodePayload(const std::vector<Packet>& packets);

// Standard base64 with padding; decoding is strict (nullopt on any other input).
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace atrium::http::engineio
