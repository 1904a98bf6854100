#pragma once
// WhatsApp Cloud API: webhook checks (the verification handshake and the
// X-Hub-Signature-256 HMAC) and sending a text reply through the configured endpoint.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/net/http_fetcher.hpp"
#include "core/result.hpp"

namespace atrium::core::messaging {

struct WhatsAppSettings {
  std::string verify_token;
  std::string app_secret;
  std::string access_token;
  std::string phone_number_id;
  std::string api_base_url;  // e.g. https://graph.example/v21.0 (http:// for local servers)
  std::string user_id;       // the Atrium user the number acts for
  std::chrono::milliseconds timeout{10000};
};

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
  // POST {api_base_url}/{phone_number_id}/messages with a text message. kUnavailable
  // when not configured, unreachable, or answered with a non-2xx status.
  Result<void> SendText(const std::string& to, const std::string& text);

 private:
  WhatsAppSettings settings_;
  net::HttpFetcher& fetcher_;
};

}  // namespace atrium::core::messaging
