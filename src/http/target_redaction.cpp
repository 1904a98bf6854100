#include "http/target_redaction.hpp"

#include <array>

#include "http/request.hpp"

namespace atrium::http {

namespace {

// Normalized endings (see IsSecretQueryName).
constexpr std::array<std::string_view, 15> kSecretEndings = {
    "token", "key",           "secret",     "password",    "passwd", "pwd",     "signature", "sig",
    "auth",  "authorization", "credential", "credentials", "jwt",    "session", "sessionid"};

}  // namespace

bool IsSecretQueryName(std::string_view raw_name) {
  std::string name;
  for (const char c : PercentDecode(raw_name, true)) {
    if (c >= 'A' && c <= 'Z') {
      name += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      name += c;
    }
  }
  if (name == "code") return true;  // an OAuth authorization code
  for (const std::string_view ending : kSecretEndings) {
    if (name.ends_with(ending)) return true;
  }
  return false;
}

std::string RedactTarget(std::string_view target) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, question + 1));
  std::string_view rest = target.substr(question + 1);
  for (bool first = true;; first = false) {
    if (!first) out += '&';
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && IsSecretQueryName(pair.substr(0, eq))) {
      out += pair.substr(0, eq + 1);
      out += kRedacted;
    } else {
      out += pair;
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace atrium::http
