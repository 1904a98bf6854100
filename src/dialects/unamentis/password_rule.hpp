#pragma once
// unamentis's password rule. The spec names `weak_password` but no rule, so Atrium
// asks for at least 8 characters (bytes, at most 1024) with a letter and a digit;
// any non-ASCII character counts as a letter.

#include <optional>
#include <string>
#include <string_view>

#include "core/identity/password_policy.hpp"

namespace atrium::dialects::unamentis {

// The part of the rule the core checks (length and a digit) on every password change.
inline constexpr core::identity::PasswordPolicy kPasswordPolicy{8, 1024, false, false, true, false};

// The client-facing reason `password` is too weak, or nullopt when it is acceptable.
std::optional<std::string> WeakPassword(std::string_view password);

}  // namespace atrium::dialects::unamentis
