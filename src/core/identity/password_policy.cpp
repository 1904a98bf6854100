#include "core/identity/password_policy.hpp"

#include <cctype>

namespace atrium::core::identity {

std::optional<std::string> PasswordPolicy::Check(std::string_view pw) const {
  bool upper = false, lower = false, digit = false, special = false;
  for (const unsigned char c : pw) {
    if (std::isupper(c)) {
      upper = true;
    } else if (std::islower(c)) {
      lower = true;
    } else if (std::isdigit(c)) {
      digit = true;
    } else {
      special = true;
    }
  }
  std::string missing;
  auto need = [&](bool ok, const char* what) {
    if (ok) return;
    missing += missing.empty() ? "" : ", ";
    missing += what;
  };
  need(!require_upper || upper, "an uppercase letter");
  need(!require_lower || lower, "a lowercase letter");
  need(!require_digit || digit, "a number");
  need(!require_special || special, "a special character");
  if (pw.size() < min_length || pw.size() > max_length || !missing.empty()) {
    std::string msg = "Password must be at least " + std::to_string(min_length) + " characters";
    if (pw.size() > max_length) msg = "Password must be at most " + std::to_string(max_length) + " characters";
    if (!missing.empty()) msg += " and include " + missing;
    return msg;
  }
  return std::nullopt;
}

bool IsPlausibleEmail(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return false;
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return false;
  const std::string_view domain = email.substr(at + 1);
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
  for (const unsigned char c : email) {
    if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';') return false;
  }
  return domain.find("..") == std::string_view::npos;
}

}  // namespace atrium::core::identity
