#pragma once
// The WebSocket framing (RFC 6455, section 5) of the server side of an Engine.IO
// WebSocket, without Beast's stream: frames the server sends (unmasked, never
// fragmented) are appended to one buffer, so that every packet queued for a client goes
// out in one write; frames from the client (masked, maybe fragmented, with control
// frames between the fragments) are parsed incrementally into messages.
//
// No extension is negotiated (the handshake offers none), so RSV bits are errors. Text
// messages are not checked for valid UTF-8 here: Engine.IO decodes them as packets and
// answers a malformed one as a transport error.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace atrium::transport::wsframe {

enum class Opcode : std::uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// Close codes used here.
inline constexpr std::uint16_t kNormalClosure = 1000;
inline constexpr std::uint16_t kProtocolError = 1002;
inline constexpr std::uint16_t kMessageTooBig = 1009;
inline constexpr std::uint16_t kTryAgainLater = 1013;
inline constexpr std::uint16_t kPolicyViolation = 1008;

// Appends a final, unmasked frame's header for a payload of `size` bytes.
void AppendHeader(std::string& out, Opcode opcode, std::size_t size);
// Appends a whole frame.
void AppendFrame(std::string& out, Opcode opcode, std::string_view payload);
// Appends a close frame with `code` (and no reason).
void AppendClose(std::string& out, std::uint16_t code);

struct Event {
  enum class Kind { kMessage, kPing, kPong, kClose, kError };
  Kind kind;
  bool binary = false;     // kMessage
  std::string data;        // kMessage: the message; kPing/kPong: the payload
  std::uint16_t code = 0;  // kClose: the peer's code (1005 when it gave none); kError: the code to close with
};

class Reader {
 public:
  explicit Reader(std::size_t max_message) : max_message_(max_message) {}

  // Parses what `bytes` completes. Events are appended to `out` in order. After a
  // kClose or kError, nothing more is parsed (the connection is ending).
  void Feed(std::string_view bytes, std::vector<Event>& out);

  bool done() const { return done_; }

 private:
  void Fail(std::uint16_t code, std::vector<Event>& out);

  std::size_t max_message_;
  std::string pending_;  // bytes of an incomplete frame
  std::string message_;  // fragments of the message being received
  bool in_message_ = false;
  bool message_binary_ = false;
  bool done_ = false;
};

}  // namespace atrium::transport::wsframe
