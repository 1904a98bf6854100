// The Engine.IO and Socket.IO parsers on any input: a polling payload, a WebSocket
// text frame and a Socket.IO packet (also fed to the attachment decoder). Errors are
// values: nothing may throw or crash. What parses must encode to text that parses back
// to the same packet.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "http/socketio/engineio_packet.hpp"
#include "http/socketio/socketio_packet.hpp"

namespace {

namespace eio = atrium::http::engineio;
namespace sio = atrium::http::socketio;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void Run(std::string_view input) {
  if (auto packets = eio::DecodePayload(input, 64)) {
    auto again = eio::DecodePayload(eio::EncodePayload(*packets), 64);
    Check(again && *again == *packets);
  }
  if (auto packet = eio::DecodeText(input)) Check(eio::EncodeText(*packet) == input);
  if (auto bytes = eio::Base64Decode(input)) Check(eio::Base64Decode(eio::Base64Encode(*bytes)) == *bytes);

  auto parsed = sio::ParsePacket(input, 10);
  if (auto* packet = std::get_if<sio::Packet>(&parsed)) {
    Check(packet->attachments <= 10);
    auto back = sio::ParsePacket(sio::EncodePacket(*packet), 10);
    auto* p2 = std::get_if<sio::Packet>(&back);
    Check(p2 != nullptr);
    Check(p2->type == packet->type && p2->nsp == packet->nsp && p2->id == packet->id &&
          p2->attachments == packet->attachments && p2->data.has_value() == packet->data.has_value());
  }

  // The decoder: the input as a text packet, then its bytes as attachments.
  sio::Decoder decoder(10);
  auto outcome = decoder.OnText(input);
  for (std::size_t i = 0; i < 12 && std::holds_alternative<sio::Decoder::Waiting>(outcome); ++i) {
    outcome = decoder.OnBinary(input.substr(0, i));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    Run(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (...) {
    __builtin_trap();  // an exception here would end a session with a 500 or a crash
  }
  return 0;
}
