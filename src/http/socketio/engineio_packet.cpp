#include "http/socketio/engineio_packet.hpp"

#include <array>

namespace atrium::http::engineio {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool KnownType(char c) { return c >= '0' && c <= '6'; }

}  // namespace

std::optional<Packet> DecodeText(std::string_view frame) {
  if (frame.empty() || !KnownType(frame[0])) return std::nullopt;
  return Packet{static_cast<PacketType>(frame[0]), std::string(frame.substr(1)), false};
}

std::string EncodeText(const Packet& packet) {
  std::string out;
  out.reserve(packet.data.size() + 1);
  out.push_back(static_cast<char>(packet.type));
  out.append(packet.data);
  return out;
}

std::optional<std::vector<Packet>> DecodePayload(std::string_view body, std::size_t max_packets) {
  std::vector<Packet> packets;
  std::size_t start = 0;
  for (;;) {
    const auto end = body.find(kRecordSeparator, start);
    const std::string_view record = body.substr(start, end == std::string_view::npos ? end : end - start);
    if (packets.size() >= max_packets) return std::nullopt;
    if (!record.empty() && record[0] == 'b') {
      auto bytes = Base64Decode(record.substr(1));
      if (!bytes) return std::nullopt;
      packets.push_back({PacketType::kMessage, std::move(*bytes), true});
    } else {
      auto packet = DecodeText(record);
      if (!packet) return std::nullopt;
      packets.push_back(std::move(*packet));
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return packets;
}

std::string EncodePayload(const std::vector<Packet>& packets) {
  std::string out;
  for (std::size_t i = 0; i < packets.size(); ++i) {
    if (i > 0) out.push_back(kRecordSeparator);
    if (packets[i].binary) {
      out.push_back('b');
      out.append(Base64Encode(packets[i].data));
    } else {
      out.append(EncodeText(packets[i]));
    }
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.append("==");
  } else if (rest == 2) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    std::array<int, 4> s{};
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + static_cast<std::size_t>(k)];
      if (c == '=' && last && k >= 2) {
        ++pad;
        s[static_cast<std::size_t>(k)] = 0;
        continue;
      }
      if (pad > 0) return std::nullopt;  // data after padding
      s[static_cast<std::size_t>(k)] = Sextet(c);
      if (s[static_cast<std::size_t>(k)] < 0) return std::nullopt;
    }
    const unsigned v = (static_cast<unsigned>(s[0]) << 18) | (static_cast<unsigned>(s[1]) << 12) |
                       (static_cast<unsigned>(s[2]) << 6) | static_cast<unsigned>(s[3]);
    out.push_back(static_cast<char>((v >> 16) & 0xff));
    if (pad < 2) out.push_back(static_cast<char>((v >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(v & 0xff));
  }
  return out;
}

}  // namespace atrium::http::engineio
