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

}  // namespace

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
    return Error(ErrorCode::kUnavailable, "WhatsApp sending is not configured").WithReason("not_configured");
  }
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
