#pragma once
// Password rules differ per dialect (their specs document them); the check is shared.

#include <optional>
#include <string>
#include <string_view>

namespace atrium::core::identity {

struct PasswordPolicy {
  std::size_t min_length = 8;
  std::size_t max_length = 1024;  // bounds hashing cost and memory
  bool require_upper = false;
  bool require_lower = false;
  bool require_digit = false;
  bool require_special = false;

  // A message naming what is missing, or nullopt when `password` is acceptable.
  std::optional<std::string> Check(std::string_view password) const;
};

// A syntactic check: one '@', a non-empty local part, a dotted domain, no spaces,
// at most 254 characters.
bool IsPlausibleEmail(std::string_view email);

}  // namespace atrium::core::identity
