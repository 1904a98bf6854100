#pragma once
// WhatsApp Cloud API: webhook checks (the verification handshake and the
// X-Hub-Signature-256 HMAC) and sending a text reply through the configured endpoint.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/net/http_fetcher.hpp"
#include "core/result.hpp"

namespace atrium::core::messaging {

struct WhatsAppSettings {
  std::string verify_token;
  std::string app_secret;
  std::string access_token;
  std::string phone_number_id;
  std::string api_base_url;  // e.g. https://graph.example/v21.0 (http:// for local servers)
  // Who may use the number: the sender's phone number (NormalizePhone) -> the Atrium
  // user whose commands and chat it runs as. Anyone else is refused (UserForSender).
  std::map<std::string, std::string> allowed_senders;
  std::chrono::milliseconds timeout{10000};
};

// The Cloud API's limit on a text message's body ("4096 characters"). Counted in UTF-16
// code units, which is never less than the number of code points, so a part within it
// is within the limit however the API counts.
inline constexpr std::size_t kMaxTextUnits = 4096;

// A phone number as digits only ("+49 151 1234-5678" -> "4915112345678"), the form the
// Cloud API puts in a message's `from`. Empty when `number` has anything but digits,
// one leading '+', spaces, dashes, dots and parentheses, or not 7-15 digits (E.164).
std::string NormalizePhone(std::string_view number);

// The Atrium user `sender` acts as, or nullopt when the number is not allowed.
std::optional<std::string> UserForSender(const WhatsAppSettings& settings, std::string_view sender);

// `text` cut into parts of at most `max_units` UTF-16 code units each, in order, at the
// last paragraph break (blank line) that fits, else the last line break, else the last
// space, else the last code point boundary; never inside a UTF-8 sequence. The
// whitespace a part is cut at is dropped; no part is empty. Text that fits is one part.
std::vector<std::string> SplitText(std::string_view text, std::size_t max_units = kMaxTextUnits);

// True when `header` is "sha256=" + the lower- or upper-case hex HMAC-SHA256 of `body`
// keyed with `app_secret`; compared in constant time. False for an empty secret.
bool SignatureValid(std::string_view app_secret, std::string_view body, std::string_view header);

// The challenge to echo when mode is "subscribe" and the token matches (constant time).
std::optional<std::string> VerificationChallenge(const WhatsAppSettings& settings, std::string_view mode,
                                                 std::string_view token, std::string_view challenge);

class WhatsAppClient {
 public:
  WhatsAppClient(WhatsAppSettings settings, net::HttpFetcher& fetcher)
      : settings_(std::move(settings)), fetcher_(fetcher) {}

  const WhatsAppSettings& settings() const { return settings_; }
  bool can_send() const {
    return !settings_.api_base_url.empty() && !settings_.phone_number_id.empty() && !settings_.access_token.empty();
  }
  // POST {api_base_url}/{phone_number_id}/messages with a text message; a text over
  // kMaxTextUnits goes as several messages (SplitText), in order. kUnavailable when not
  // configured, unreachable, or answered with a non-2xx status; after a failed part the
  // rest is not sent.
  Result<void> SendText(const std::string& to, const std::string& text);
  // Readiness: GET {api_base_url}/{phone_number_id} with the access token (the Cloud
  // API's phone number node). kUnavailable when not configured, unreachable or refused.
  Result<void> Check();

 private:
  Result<void> SendOne(const std::string& to, const std::string& text);

  WhatsAppSettings settings_;
  net::HttpFetcher& fetcher_;
};

}  // namespace atrium::core::messaging
