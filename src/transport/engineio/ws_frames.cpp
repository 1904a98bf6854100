#include "transport/engineio/ws_frames.hpp"

namespace atrium::transport::wsframe {

void AppendHeader(std::string& out, Opcode opcode, std::size_t size) {
  out.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));  // FIN
  if (size < 126) {
    out.push_back(static_cast<char>(size));
  } else if (size <= 0xFFFF) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>((size >> 8) & 0xFF));
    out.push_back(static_cast<char>(size & 0xFF));
  } else {
    out.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((static_cast<std::uint64_t>(size) >> shift) & 0xFF));
    }
  }
}

void AppendFrame(std::string& out, Opcode opcode, std::string_view payload) {
  AppendHeader(out, opcode, payload.size());
  out.append(payload);
}

void AppendClose(std::string& out, std::uint16_t code) {
  const char payload[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  AppendFrame(out, Opcode::kClose, std::string_view(payload, 2));
}

void Reader::Fail(std::uint16_t code, std::vector<Event>& out) {
  done_ = true;
  pending_.clear();
  message_.clear();
  out.push_back({Event::Kind::kError, false, {}, code});
}

void Reader::Feed(std::string_view bytes, std::vector<Event>& out) {
  if (done_) return;
  pending_.append(bytes);
  std::size_t pos = 0;
  while (!done_) {
    const std::size_t avail = pending_.size() - pos;
    if (avail < 2) break;
    const auto* p = reinterpret_cast<const std::uint8_t*>(pending_.data() + pos);
    const bool fin = (p[0] & 0x80) != 0;
    const std::uint8_t rsv = p[0] & 0x70;
    const std::uint8_t op = p[0] & 0x0F;
    const bool masked = (p[1] & 0x80) != 0;
    std::uint64_t len = p[1] & 0x7F;
    std::size_t header = 2;
    if (len == 126) {
      if (avail < 4) break;
      len = (std::uint64_t{p[2]} << 8) | p[3];
      header = 4;
      if (len < 126) return Fail(kProtocolError, out);  // not the shortest form
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
      header = 10;
      if ((len >> 63) != 0 || len <= 0xFFFF) return Fail(kProtocolError, out);
    }
    if (rsv != 0 || !masked) return Fail(kProtocolError, out);  // clients must mask
    const bool control = (op & 0x8) != 0;
    if (control && (!fin || len > 125)) return Fail(kProtocolError, out);
    if (!control && op != 0x0 && op != 0x1 && op != 0x2) return Fail(kProtocolError, out);
    if (control && op != 0x8 && op != 0x9 && op != 0xA) return Fail(kProtocolError, out);
    // A data frame may not make the message larger than allowed; checked before its
    // payload is buffered, so an oversized frame is refused without being read.
    if (!control) {
      const std::uint64_t so_far = op == 0x0 ? message_.size() : 0;
      if (len > max_message_ || so_far + len > max_message_) return Fail(kMessageTooBig, out);
    }
    header += 4;  // the masking key
    if (avail < header) break;
    if (avail - header < len) break;
    const std::uint8_t* key = p + header - 4;
    std::string payload(pending_.data() + pos + header, static_cast<std::size_t>(len));
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(payload[i] ^ key[i & 3]);
    pos += header + static_cast<std::size_t>(len);

    if (control) {
      if (op == 0x9) {
        out.push_back({Event::Kind::kPing, false, std::move(payload), 0});
      } else if (op == 0xA) {
        out.push_back({Event::Kind::kPong, false, std::move(payload), 0});
      } else {
        if (payload.size() == 1) return Fail(kProtocolError, out);
        std::uint16_t code = 1005;  // none given
        if (payload.size() >= 2) {
          code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                            static_cast<std::uint8_t>(payload[1]));
        }
        done_ = true;
        out.push_back({Event::Kind::kClose, false, {}, code});
      }
      continue;
    }
    if (op == 0x0) {
      if (!in_message_) return Fail(kProtocolError, out);
      message_.append(payload);
    } else {
      if (in_message_) return Fail(kProtocolError, out);
      in_message_ = true;
      message_binary_ = op == 0x2;
      message_ = std::move(payload);
    }
    if (fin) {
      in_message_ = false;
      out.push_back({Event::Kind::kMessage, message_binary_, std::move(message_), 0});
      message_.clear();
    }
  }
  pending_.erase(0, pos);
}

}  // namespace atrium::transport::wsframe
