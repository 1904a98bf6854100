#pragma once
// Randomness as the core sees it: injected so tests can make ids deterministic.

#include <cstddef>
#include <cstdint>
#include <string>

namespace atrium::core {

// Implementations are safe to call from several threads at once.
class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` with `n` bytes. Cryptographic quality for SecureRandom.
  virtual void Fill(std::uint8_t* out, std::size_t n) = 0;
};

// Reads the operating system's CSPRNG (getrandom). Throws on start-up if it is unavailable.
class SecureRandom final : public Random {
 public:
  void Fill(std::uint8_t* out, std::size_t n) override;
};

// A version 4 UUID in canonical lowercase form.
std::string NewUuid(Random& random);

}  // namespace atrium::core
