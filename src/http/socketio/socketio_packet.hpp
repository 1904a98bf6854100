#pragma once
// Socket.IO protocol v5 packets, as pure code. A packet travels as one Engine.IO text
// message "<type>[<attachments>-][<namespace>,][<ack id>][<json>]", followed, for the
// binary types, by one Engine.IO binary message per attachment. Attachments stay as
// byte strings beside the JSON, which keeps `{"_placeholder":true,"num":n}` objects
// where they were; handlers read them by index.

#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace atrium::http::socketio {

enum class PacketType : int {
  kConnect = 0,
  kDisconnect = 1,
  kEvent = 2,
  kAck = 3,
  kConnectError = 4,
  kBinaryEvent = 5,
  kBinaryAck = 6,
};

struct Packet {
  PacketType type = PacketType::kEvent;
  std::string nsp = "/";
  std::optional<std::uint64_t> id;
  std::optional<boost::json::value> data;  // absent when the packet has no payload
  std::size_t attachments = 0;             // announced count, binary types only
  std::vector<std::string> buffers;        // the attachments, once all arrived
};

// Why a packet was refused (the connection is then closed, as the reference does).
struct ParseError {
  std::string message;
};

// Parses the text part. The payload must fit the type (CONNECT: an object; DISCONNECT:
// none; CONNECT_ERROR: a string or object; events: an array whose first element is a
// name that is not reserved, or a number; acks: an array). Binary types need
// 1..max_attachments attachments and placeholders that refer to them.
std::variant<Packet, ParseError> ParsePacket(std::string_view text, std::size_t max_attachments);

// The text part of `packet` (its `attachments` count must equal buffers.size() for the
// binary types; the caller sends the buffers after it).
std::string EncodePacket(const Packet& packet);

// {"_placeholder":true,"num":n}: how an attachment appears inside the JSON.
boost::json::value Placeholder(std::size_t num);
// The attachment index when `value` is a placeholder.
std::optional<std::size_t> PlaceholderIndex(const boost::json::value& value);

// Reassembles packets from a stream of Engine.IO messages. Not thread-safe.
class Decoder {
 public:
  explicit Decoder(std::size_t max_attachments) : max_attachments_(max_attachments) {}
  struct Waiting {};  // a binary packet waits for more attachments
  using Outcome = std::variant<Waiting, Packet, ParseError>;
  Outcome OnText(std::string_view text);
  Outcome OnBinary(std::string_view bytes);

 private:
  std::size_t max_attachments_;
  std::optional<Packet> pending_;
};

}  // namespace atrium::http::socketio
