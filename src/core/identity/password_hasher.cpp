#include "core/identity/password_hasher.hpp"

#include <argon2.h>

#include <cstdio>
#include <vector>

namespace atrium::core::identity {

namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

}  // namespace

// Holds one of the bounded hashing slots for its lifetime.
class PasswordHasher::Slot {
 public:
  explicit Slot(PasswordHasher& h) : h_(h) {
    std::unique_lock lock(h_.mu_);
    h_.cv_.wait(lock, [this] { return h_.available_ > 0; });
    --h_.available_;
  }
  ~Slot() {
    {
      std::lock_guard lock(h_.mu_);
      ++h_.available_;
    }
    h_.cv_.notify_one();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  PasswordHasher& h_;
};

PasswordHasher::PasswordHasher(Argon2Params params, Random& random, int max_concurrent)
    : params_(params), random_(random), available_(max_concurrent < 1 ? 1 : max_concurrent) {}

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  std::uint8_t salt[kSaltBytes];
  random_.Fill(salt, sizeof salt);
  const std::size_t encoded_len =
      argon2_encodedlen(params_.iterations, params_.memory_kib, params_.parallelism, kSaltBytes, kHashBytes, Argon2_id);
  std::vector<char> encoded(encoded_len);
  int rc;
  {
    Slot slot(*this);
    rc = argon2id_hash_encoded(params_.iterations, params_.memory_kib, params_.parallelism, password.data(),
                               password.size(), salt, sizeof salt, kHashBytes, encoded.data(), encoded.size());
  }
  if (rc != ARGON2_OK) {
    return Error(ErrorCode::kInternal, "password hashing failed", argon2_error_message(rc));
  }
  return std::string(encoded.data());
}

bool PasswordHasher::Verify(const std::string& encoded, std::string_view password) {
  if (encoded.rfind("$argon2id$", 0) != 0) return false;
  Slot slot(*this);
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool PasswordHasher::NeedsRehash(const std::string& encoded) const {
  unsigned m = 0, t = 0, p = 0;
  if (std::sscanf(encoded.c_str(), "$argon2id$v=19$m=%u,t=%u,p=%u$", &m, &t, &p) != 3) return true;
  return m < params_.memory_kib || t < params_.iterations || p < params_.parallelism;
}

}  // namespace atrium::core::identity
