#include "dialects/unamentis/password_rule.hpp"

namespace atrium::dialects::unamentis {

std::optional<std::string> WeakPassword(std::string_view password) {
  bool letter = false;
  bool digit = false;
  for (const unsigned char c : password) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) letter = true;
    if (c >= '0' && c <= '9') digit = true;
  }
  if (password.size() > kPasswordPolicy.max_length) return "Password must be at most 1024 characters";
  if (password.size() < kPasswordPolicy.min_length || !letter || !digit) {
    return "Password must be at least 8 characters and include a letter and a number";
  }
  return std::nullopt;
}

}  // namespace atrium::dialects::unamentis
