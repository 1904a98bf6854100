#include "core/messaging/whatsapp.hpp"

#include <boost/json.hpp>

#include "core/identity/crypto.hpp"

namespace atrium::core::messaging {

namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The length in bytes of the UTF-8 sequence at text[i], and its UTF-16 code units. A
// malformed byte counts as one byte and one unit, so it is never split either.
std::pair<std::size_t, std::size_t> CodePointAt(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t len = 1;
  if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
  }
  if (i + len > text.size()) return {1, 1};
  for (std::size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return {1, 1};
  }
  return {len, len == 4 ? 2 : 1};
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool IsBreak(char c) { return c == '\n' || c == '\r'; }

}  // namespace

std::string NormalizePhone(std::string_view number) {
  std::string digits;
  for (std::size_t i = 0; i < number.size(); ++i) {
    const char c = number[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && digits.empty() && number.find_first_not_of(" ") == i) {
      continue;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return {};
    }
  }
  if (digits.size() < 7 || digits.size() > 15) return {};
  return digits;
}

std::optional<std::string> UserForSender(const WhatsAppSettings& settings, std::string_view sender) {
  const std::string number = NormalizePhone(sender);
  if (number.empty()) return std::nullopt;
  const auto it = settings.allowed_senders.find(number);
  if (it == settings.allowed_senders.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> SplitText(std::string_view text, std::size_t max_units) {
  if (max_units == 0) max_units = 1;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < text.size()) {
    // `end`: the furthest byte the part may reach, on a code point boundary.
    std::size_t end = start, units = 0;
    while (end < text.size()) {
      const auto [len, n] = CodePointAt(text, end);
      if (units + n > max_units) break;
      units += n;
      end += len;
    }
    if (end == text.size()) {
      if (parts.empty() || text.substr(start).find_first_not_of(" \t\r\n") != std::string_view::npos) {
        parts.emplace_back(text.substr(start));
      }
      break;
    }
    if (end == start) end += CodePointAt(text, start).first;  // max_units below one code point
    // A break at `end` itself is allowed: the break character is dropped, not sent.
    const std::string_view window = text.substr(start, end - start + 1);
    std::size_t cut = std::string_view::npos;
    bool at_line = true;
    if (const auto p = window.rfind("\n\n"); p != std::string_view::npos && p > 0) {
      cut = p;
    } else if (const auto q = window.find_last_of('\n'); q != std::string_view::npos && q > 0) {
      cut = q;
    } else if (const auto w = window.find_last_of(" \t"); w != std::string_view::npos && w > 0) {
      cut = w;
      at_line = false;
    }
    std::size_t next = 0;
    if (cut == std::string_view::npos) {
      cut = end - start;
      next = end;
    } else {
      next = start + cut;
      while (next < text.size() && (at_line ? IsBreak(text[next]) : IsSpace(text[next]))) ++next;
    }
    std::string_view part = text.substr(start, cut);
    while (!part.empty() && (IsSpace(part.back()) || IsBreak(part.back()))) part.remove_suffix(1);
    if (!part.empty()) parts.emplace_back(part);
    start = next;
  }
  if (parts.empty()) parts.emplace_back();
  return parts;
}

bool SignatureValid(std::string_view app_secret, std::string_view body, std::string_view header) {
  constexpr std::string_view kPrefix = "sha256=";
  if (app_secret.empty() || header.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::string expected = Hex(identity::HmacSha256(app_secret, body));
  return identity::ConstantTimeEquals(expected, Lower(header.substr(kPrefix.size())));
}

std::optional<std::string> VerificationChallenge(const WhatsAppSettings& settings, std::string_view mode,
                                                 std::string_view token, std::string_view challenge) {
  if (settings.verify_token.empty() || mode != "subscribe") return std::nullopt;
  if (!identity::ConstantTimeEquals(settings.verify_token, token)) return std::nullopt;
  return std::string(challenge);
}

Result<void> WhatsAppClient::SendText(const std::string& to, const std::string& text) {
  if (!can_send()) {
    return Error(ErrorCode::kUnavailable, "WhatsApp sending is not configured").WithReason(Reason::kNotConfigured);
  }
  for (const auto& part : SplitText(text)) {
    if (auto sent = SendOne(to, part); !sent) return sent;
  }
  return Ok{};
}

Result<void> WhatsAppClient::Check() {
  if (!can_send()) {
    return Error(ErrorCode::kUnavailable, "WhatsApp sending is not configured").WithReason(Reason::kNotConfigured);
  }
  std::string base = settings_.api_base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto r = fetcher_.Get(base + "/" + settings_.phone_number_id, {{"Authorization", "Bearer " + settings_.access_token}},
                        settings_.timeout);
  if (!r) return Error(ErrorCode::kUnavailable, "WhatsApp API unreachable", r.error().internal_message());
  if (r->status < 200 || r->status >= 300) {
    return Error(ErrorCode::kUnavailable, "WhatsApp API answered " + std::to_string(r->status));
  }
  return Ok{};
}

Result<void> WhatsAppClient::SendOne(const std::string& to, const std::string& text) {
  const boost::json::object message{{"messaging_product", "whatsapp"},
                                    {"recipient_type", "individual"},
                                    {"to", to},
                                    {"type", "text"},
                                    {"text", {{"preview_url", false}, {"body", text}}}};
  std::string base = settings_.api_base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto r = fetcher_.Post(base + "/" + settings_.phone_number_id + "/messages",
                         {{"Authorization", "Bearer " + settings_.access_token}}, "application/json",
                         boost::json::serialize(message), settings_.timeout);
  if (!r) return Error(ErrorCode::kUnavailable, "WhatsApp API unreachable", r.error().internal_message());
  if (r->status < 200 || r->status >= 300) {
    return Error(ErrorCode::kUnavailable, "WhatsApp API refused the message",
                 "HTTP " + std::to_string(r->status) + ": " + r->body.substr(0, 200));
  }
  return Ok{};
}

}  // namespace atrium::core::messaging
