#pragma once
// The one measure of a display name's length, so every limit on it means the same at
// registration and on a profile update: Unicode code points ("Анна" is 4, not 8 bytes).

#include <cstddef>
#include <string_view>

namespace atrium::core::identity {

// Code points in `name`, which is UTF-8 (as every JSON string is once parsed): each byte
// that is not a continuation byte (10xxxxxx) starts one.
std::size_t DisplayNameLength(std::string_view name);

}  // namespace atrium::core::identity
