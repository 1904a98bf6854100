#include "http/socketio/socketio_packet.hpp"

#include <array>
#include <boost/json.hpp>
#include <cmath>

#include "http/json_body.hpp"

namespace atrium::http::socketio {

namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 6> kReserved = {"connect",       "connect_error", "disconnect",
                                                       "disconnecting", "newListener",   "removeListener"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool PayloadFits(PacketType type, const std::optional<json::value>& data) {
  switch (type) {
    case PacketType::kConnect:
      return !data || data->is_object();
    case PacketType::kDisconnect:
      return !data;
    case PacketType::kConnectError:
      return !data || data->is_string() || data->is_object();
    case PacketType::kEvent:
    case PacketType::kBinaryEvent: {
      if (!data || !data->is_array() || data->as_array().empty()) return false;
      const json::value& name = data->as_array().front();
      if (name.is_number()) return true;
      if (!name.is_string()) return false;
      for (auto reserved : kReserved) {
        if (name.as_string() == reserved) return false;
      }
      return true;
    }
    case PacketType::kAck:
    case PacketType::kBinaryAck:
      return data && data->is_array();
  }
  return false;
}

// True when every placeholder in `v` names an attachment below `count`.
bool PlaceholdersValid(const json::value& v, std::size_t count, int depth) {
  if (depth > 64) return false;
  if (v.is_object()) {
    const json::object& o = v.as_object();
    if (const auto* p = o.if_contains("_placeholder"); p != nullptr && p->is_bool() && p->as_bool()) {
      const auto index = PlaceholderIndex(v);
      return index && *index < count;
    }
    for (const auto& kv : o) {
      if (!PlaceholdersValid(kv.value(), count, depth + 1)) return false;
    }
  } else if (v.is_array()) {
    for (const auto& e : v.as_array()) {
      if (!PlaceholdersValid(e, count, depth + 1)) return false;
    }
  }
  return true;
}

// Overflowing numbers (1e400) parse as infinities, which no JSON encoder writes back.
bool AllFinite(const json::value& v, int depth) {
  if (depth > 64) return false;
  if (v.is_double()) return std::isfinite(v.get_double());
  if (v.is_array()) {
    for (const auto& e : v.get_array()) {
      if (!AllFinite(e, depth + 1)) return false;
    }
  }
  if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      if (!AllFinite(kv.value(), depth + 1)) return false;
    }
  }
  return true;
}

}  // namespace

json::value Placeholder(std::size_t num) {
  return json::object{{"_placeholder", true}, {"num", static_cast<std::uint64_t>(num)}};
}

std::optional<std::size_t> PlaceholderIndex(const json::value& value) {
  if (!value.is_object()) return std::nullopt;
  const json::object& o = value.as_object();
  const auto* flag = o.if_contains("_placeholder");
  const auto* num = o.if_contains("num");
  if (flag == nullptr || !flag->is_bool() || !flag->as_bool() || num == nullptr) return std::nullopt;
  if (num->is_uint64()) return static_cast<std::size_t>(num->as_uint64());
  if (num->is_int64() && num->as_int64() >= 0) return static_cast<std::size_t>(num->as_int64());
  return std::nullopt;
}

std::variant<Packet, ParseError> ParsePacket(std::string_view text, std::size_t max_attachments) {
  if (text.empty() || text[0] < '0' || text[0] > '6') return ParseError{"unknown packet type"};
  Packet p;
  p.type = static_cast<PacketType>(text[0] - '0');
  std::size_t i = 1;
  const bool binary = p.type == PacketType::kBinaryEvent || p.type == PacketType::kBinaryAck;
  if (binary) {
    const auto dash = text.find('-', i);
    if (dash == std::string_view::npos || dash == i || dash - i > 6) return ParseError{"illegal attachments"};
    std::size_t n = 0;
    for (std::size_t k = i; k < dash; ++k) {
      if (!IsDigit(text[k])) return ParseError{"illegal attachments"};
      n = n * 10 + static_cast<std::size_t>(text[k] - '0');
    }
    if (n < 1) return ParseError{"illegal attachments"};
    if (n > max_attachments) return ParseError{"too many attachments"};
    p.attachments = n;
    i = dash + 1;
  }
  if (i < text.size() && text[i] == '/') {
    const auto comma = text.find(',', i);
    const std::size_t end = comma == std::string_view::npos ? text.size() : comma;
    p.nsp = std::string(text.substr(i, end - i));
    i = comma == std::string_view::npos ? text.size() : comma + 1;
  }
  if (i < text.size() && IsDigit(text[i])) {
    std::uint64_t id = 0;
    std::size_t digits = 0;
    while (i < text.size() && IsDigit(text[i])) {
      if (++digits > 15) return ParseError{"ack id too large"};
      id = id * 10 + static_cast<std::uint64_t>(text[i] - '0');
      ++i;
    }
    p.id = id;
  }
  if (i < text.size()) {
    boost::system::error_code ec;
    json::parse_options options;
    options.max_depth = 64;
    json::value data = json::parse(text.substr(i), ec, {}, options);
    if (ec || !AllFinite(data, 0)) return ParseError{"invalid payload"};
    p.data = std::move(data);
  }
  if (!PayloadFits(p.type, p.data)) return ParseError{"invalid payload"};
  if (binary && !PlaceholdersValid(*p.data, p.attachments, 0)) return ParseError{"illegal attachments"};
  return p;
}

std::string EncodePacket(const Packet& packet) {
  std::string out(1, static_cast<char>('0' + static_cast<int>(packet.type)));
  if (packet.type == PacketType::kBinaryEvent || packet.type == PacketType::kBinaryAck) {
    out += std::to_string(packet.attachments);
    out.push_back('-');
  }
  if (packet.nsp != "/") {
    out += packet.nsp;
    out.push_back(',');
  }
  if (packet.id) out += std::to_string(*packet.id);
  if (packet.data) out += ToJsonText(*packet.data);
  return out;
}

Decoder::Outcome Decoder::OnText(std::string_view text) {
  if (pending_) return ParseError{"text packet while attachments were expected"};
  auto parsed = ParsePacket(text, max_attachments_);
  if (auto* e = std::get_if<ParseError>(&parsed)) return std::move(*e);
  Packet packet = std::move(std::get<Packet>(parsed));
  if (packet.attachments > 0) {
    pending_ = std::move(packet);
    return Waiting{};
  }
  return packet;
}

Decoder::Outcome Decoder::OnBinary(std::string_view bytes) {
  if (!pending_) return ParseError{"binary data without a binary packet"};
  pending_->buffers.emplace_back(bytes);
  if (pending_->buffers.size() < pending_->attachments) return Waiting{};
  Packet done = std::move(*pending_);
  pending_.reset();
  return done;
}

}  // namespace atrium::http::socketio
