#pragma once
// Unichat's display-name rule, shared by registration and the profile update.

#include <cstddef>
#include <string_view>

#include "core/identity/display_name.hpp"

namespace atrium::dialects::unichat {

inline constexpr std::size_t kMinDisplayName = 2;
inline constexpr std::size_t kMaxDisplayName = 50;
inline constexpr std::string_view kDisplayNameRule = "Display name must be 2-50 characters";

inline bool ValidDisplayName(std::string_view name) {
  const std::size_t n = core::identity::DisplayNameLength(name);
  return n >= kMinDisplayName && n <= kMaxDisplayName;
}

}  // namespace atrium::dialects::unichat
