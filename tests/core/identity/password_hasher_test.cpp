#include "core/identity/password_hasher.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/fakes.hpp"

namespace atrium::core::identity {
namespace {

// Cheap but valid Argon2id parameters; production's floor is 19 MiB, t=2.
constexpr Argon2Params kCheap{.memory_kib = 1024, .iterations = 1, .parallelism = 1};
constexpr Argon2Params kStronger{.memory_kib = 2048, .iterations = 2, .parallelism = 1};

class PasswordHasherTest : public ::testing::Test {
 protected:
  std::string HashWith(const Argon2Params& params, const std::string& password) {
    PasswordHasher hasher(params, random_, 1);
    auto hash = hasher.Hash(password);
    EXPECT_TRUE(hash.ok()) << hash.error().internal_message();
    return hash.ok() ? *hash : std::string();
  }

  testing::FakeRandom random_;
};

TEST_F(PasswordHasherTest, HashIsPhcEncodedArgon2idWithTheConfiguredParameters) {
  PasswordHasher hasher(kCheap, random_, 1);
  auto hash = hasher.Hash("correct horse");
  ASSERT_TRUE(hash.ok()) << hash.error().internal_message();
  // The salt is the 16 bytes the fake drew (00 01 .. 0f), in unpadded standard base64;
  // the hash is 32 bytes (43 characters).
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=1024,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$", 0), 0u) << *hash;
  EXPECT_TRUE(
      std::regex_match(*hash, std::regex(R"(\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43})")))
      << *hash;
  EXPECT_EQ(random_.calls(), 1);
}

TEST_F(PasswordHasherTest, EachHashGetsAFreshSalt) {
  PasswordHasher hasher(kCheap, random_, 1);
  auto a = hasher.Hash("same password");
  auto b = hasher.Hash("same password");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(hasher.Verify(*a, "same password"));
  EXPECT_TRUE(hasher.Verify(*b, "same password"));
}

TEST_F(PasswordHasherTest, VerifyAcceptsOnlyTheRightPassword) {
  PasswordHasher hasher(kCheap, random_, 1);
  auto hash = hasher.Hash("correct horse");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hasher.Verify(*hash, "correct horse"));
  EXPECT_FALSE(hasher.Verify(*hash, "correct horsE"));
  EXPECT_FALSE(hasher.Verify(*hash, "correct horse "));
  EXPECT_FALSE(hasher.Verify(*hash, ""));
}

TEST_F(PasswordHasherTest, VerifyUsesTheParametersInTheHashNotTheCurrentOnes) {
  const std::string old_hash = HashWith(kCheap, "pw-1234");
  PasswordHasher stronger(kStronger, random_, 1);
  EXPECT_TRUE(stronger.Verify(old_hash, "pw-1234"));
  EXPECT_FALSE(stronger.Verify(old_hash, "pw-12345"));
}

TEST_F(PasswordHasherTest, VerifyOfAnythingButAnArgon2idHashIsFalse) {
  PasswordHasher hasher(kCheap, random_, 1);
  const std::string good = HashWith(kCheap, "pw");
  std::string argon2i = good;
  argon2i.replace(0, 10, "$argon2i$");
  std::string argon2d = good;
  argon2d.replace(0, 10, "$argon2d$");
  std::string corrupted = good;
  char& c = corrupted[corrupted.size() - 5];  // inside the hash, away from its padding bits
  c = c == 'A' ? 'B' : 'A';
  for (const std::string& encoded :
       {std::string(), std::string("garbage"), std::string("!"), std::string("$argon2id$"),
        std::string("$argon2id$v=19$m=1024,t=1,p=1$"), good.substr(0, good.size() - 10), argon2i, argon2d, corrupted,
        std::string("$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"), " " + good}) {
    EXPECT_FALSE(hasher.Verify(encoded, "pw")) << encoded;
  }
  EXPECT_TRUE(hasher.Verify(good, "pw"));
}

TEST_F(PasswordHasherTest, NeedsRehashWhenStoredParametersAreWeaker) {
  const std::string cheap = HashWith(kCheap, "pw");
  const std::string less_memory = HashWith({.memory_kib = 1024, .iterations = 2, .parallelism = 1}, "pw");
  const std::string fewer_passes = HashWith({.memory_kib = 2048, .iterations = 1, .parallelism = 1}, "pw");
  PasswordHasher stronger(kStronger, random_, 1);
  EXPECT_TRUE(stronger.NeedsRehash(cheap));
  EXPECT_TRUE(stronger.NeedsRehash(less_memory));
  EXPECT_TRUE(stronger.NeedsRehash(fewer_passes));
}

TEST_F(PasswordHasherTest, NoRehashWhenStoredParametersAreEqualOrStronger) {
  const std::string strong = HashWith(kStronger, "pw");
  const std::string more_memory = HashWith({.memory_kib = 4096, .iterations = 2, .parallelism = 1}, "pw");
  PasswordHasher current(kStronger, random_, 1);
  PasswordHasher cheap(kCheap, random_, 1);
  EXPECT_FALSE(current.NeedsRehash(strong));
  EXPECT_FALSE(current.NeedsRehash(more_memory));
  EXPECT_FALSE(cheap.NeedsRehash(strong));
  EXPECT_FALSE(cheap.NeedsRehash(HashWith(kCheap, "pw")));
}

TEST_F(PasswordHasherTest, NeedsRehashForUnparsableHashes) {
  PasswordHasher hasher(kCheap, random_, 1);
  EXPECT_TRUE(hasher.NeedsRehash(""));
  EXPECT_TRUE(hasher.NeedsRehash("!"));
  EXPECT_TRUE(hasher.NeedsRehash("$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA"));
}

TEST_F(PasswordHasherTest, ExposesItsParameters) {
  PasswordHasher hasher(kStronger, random_, 2);
  EXPECT_EQ(hasher.params().memory_kib, 2048u);
  EXPECT_EQ(hasher.params().iterations, 2u);
  EXPECT_EQ(hasher.params().parallelism, 1u);
}

TEST_F(PasswordHasherTest, InvalidParametersAreAnInternalError) {
  PasswordHasher hasher({.memory_kib = 1, .iterations = 1, .parallelism = 1}, random_, 1);  // below Argon2's 8 KiB
  auto hash = hasher.Hash("pw");
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(hash.error().safe_message(), "password hashing failed");
}

// Several threads hashing through one slot all finish: the bound makes them wait, never fail.
TEST_F(PasswordHasherTest, OneSlotServesManyThreads) {
  testing::SeededRandom random;
  PasswordHasher hasher(kCheap, random, /*max_concurrent=*/1);
  constexpr int kThreads = 6;
  std::vector<std::string> hashes(kThreads);
  std::vector<int> ok(kThreads, 0);
  std::latch start(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        auto h = hasher.Hash("password-" + std::to_string(i));
        if (!h) return;
        hashes[i] = *h;
        ok[i] = hasher.Verify(*h, "password-" + std::to_string(i)) ? 1 : 0;
      });
    }
  }
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(ok[i], 1) << "thread " << i;
    EXPECT_EQ(hashes[i].rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << hashes[i];
  }
}

TEST_F(PasswordHasherTest, ZeroConcurrencyStillAllowsOneHash) {
  PasswordHasher hasher(kCheap, random_, 0);
  auto hash = hasher.Hash("pw");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hasher.Verify(*hash, "pw"));
}

}  // namespace
}  // namespace atrium::core::identity
