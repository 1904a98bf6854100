#pragma once
// Argon2id password hashing in the PHC string format ($argon2id$v=19$m=..,t=..,p=..$salt$hash).
// Hashing is deliberately slow and memory-hungry: callers run it on worker threads, and
// at most `max_concurrent` hashes run at once (the rest wait), which bounds memory at
// max_concurrent x memory_kib.

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "core/random.hpp"
#include "core/result.hpp"

namespace atrium::core::identity {

struct Argon2Params {
  std::uint32_t memory_kib = 19 * 1024;  // OWASP minimum for Argon2id: 19 MiB, t=2, p=1
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;
};

class PasswordHasher {
 public:
  PasswordHasher(Argon2Params params, Random& random, int max_concurrent);

  Result<std::string> Hash(std::string_view password);
  // False for a wrong password or an encoded string that is not a valid Argon2id hash.
  bool Verify(const std::string& encoded, std::string_view password);
  // True when `encoded` was made with weaker parameters than the current ones.
  bool NeedsRehash(const std::string& encoded) const;

  const Argon2Params& params() const { return params_; }

 private:
  class Slot;

  Argon2Params params_;
  Random& random_;
  std::mutex mu_;
  std::condition_variable cv_;
  int available_;
};

}  // namespace atrium::core::identity
