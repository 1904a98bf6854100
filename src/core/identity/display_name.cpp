#include "core/identity/display_name.hpp"

namespace atrium::core::identity {

std::size_t DisplayNameLength(std::string_view name) {
  std::size_t n = 0;
  for (const unsigned char c : name) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace atrium::core::identity
