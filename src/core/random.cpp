#include "core/random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>

namespace atrium::core {

void SecureRandom::Fill(std::uint8_t* out, std::size_t n) {
  while (n > 0) {
    const ssize_t got = getrandom(out, n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("getrandom failed");  // the kernel CSPRNG is a hard requirement
    }
    out += got;
    n -= static_cast<std::size_t>(got);
  }
}

std::string NewUuid(Random& random) {
  std::uint8_t b[16];
  random.Fill(b, sizeof b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0f];
  }
  return out;
}

}  // namespace atrium::core
