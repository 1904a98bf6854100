#pragma once
// Deterministic stand-ins for the core's injected dependencies.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"

namespace atrium::testing {

// 2024-05-06T07:08:09.123Z, a fixed wall-clock instant for every test.
inline std::chrono::system_clock::time_point FixedNow() {
  using namespace std::chrono;
  return sys_days{year{2024} / May / 6} + hours{7} + minutes{8} + seconds{9} + milliseconds{123};
}

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public core::Clock {
 public:
  explicit FakeClock(std::chrono::system_clock::time_point now = FixedNow(),
                     std::chrono::steady_clock::duration steady = std::chrono::hours{1000})
      : now_(now.time_since_epoch().count()), steady_(steady.count()) {}

  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(now_.load()));
  }
  std::chrono::steady_clock::time_point Steady() const override {
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(steady_.load()));
  }

  // Moves both clocks forward by `d`.
  void Advance(std::chrono::steady_clock::duration d) {
    steady_ += d.count();
    now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d).count();
  }
  void SetNow(std::chrono::system_clock::time_point t) { now_ = t.time_since_epoch().count(); }

 private:
  std::atomic<std::chrono::system_clock::rep> now_;
  std::atomic<std::chrono::steady_clock::rep> steady_;
};

// Fills with a repeating byte pattern (by default 0x00, 0x01, 0x02, ...), continuing
// where the previous call stopped. Thread-safe.
class FakeRandom final : public core::Random {
 public:
  FakeRandom() = default;
  explicit FakeRandom(std::vector<std::uint8_t> pattern) : pattern_(std::move(pattern)) {}

  void Fill(std::uint8_t* out, std::size_t n) override {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = pattern_.empty() ? static_cast<std::uint8_t>(next_) : pattern_[next_ % pattern_.size()];
      ++next_;
    }
    ++calls_;
  }

  // Starts the pattern over, as if no bytes had been drawn.
  void Reset() {
    std::lock_guard lock(mu_);
    next_ = 0;
    calls_ = 0;
  }

  int calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::uint8_t> pattern_;
  std::size_t next_ = 0;
  int calls_ = 0;
};

// A deterministic stream (splitmix64) without FakeRandom's 256-byte period, for code that
// stores what it draws under unique keys: user and session ids, refresh-token hashes.
// The same seed gives the same bytes in every run. Thread-safe.
class SeededRandom final : public core::Random {
 public:
  explicit SeededRandom(std::uint64_t seed = 0x5eed) : state_(seed) {}

  void Fill(std::uint8_t* out, std::size_t n) override {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < n; ++i) {
      if (left_ == 0) {
        word_ = Next();
        left_ = 8;
      }
      out[i] = static_cast<std::uint8_t>(word_ & 0xff);
      word_ >>= 8;
      --left_;
    }
  }

 private:
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::mutex mu_;
  std::uint64_t state_;
  std::uint64_t word_ = 0;
  int left_ = 0;
};

}  // namespace atrium::testing
