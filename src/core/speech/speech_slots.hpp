#pragma once
// Admission to the speech engines: at most `max_active` jobs run at once (they are CPU
// bound: one per core is the sensible default), at most `max_waiting` more wait, in
// order, until their deadline. Beyond that a caller is told "busy" at once.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

#include "core/result.hpp"

namespace atrium::core::speech {

class SpeechSlots {
 public:
  SpeechSlots(std::size_t max_active, std::size_t max_waiting);

  class Slot {
   public:
    explicit Slot(SpeechSlots* owner) : owner_(owner) {}
    Slot(Slot&& o) noexcept : owner_(o.owner_) { o.owner_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (owner_ != nullptr) owner_->Release();
    }

   private:
    SpeechSlots* owner_;
  };

  // Blocks until a slot is free (kResourceExhausted, kSpeechBusy, at once when the queue
  // is full; kUnavailable, kSpeechTimeout, when `deadline` passes first). Thread-safe.
  Result<Slot> Acquire(std::chrono::steady_clock::time_point deadline);

  std::size_t active() const;
  std::size_t waiting() const;

 private:
  void Release();
  const std::size_t max_active_;
  const std::size_t max_waiting_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::size_t active_ = 0;
  std::deque<std::uint64_t> line_;  // waiting tickets, oldest first
  std::uint64_t next_ticket_ = 0;
};

}  // namespace atrium::core::speech
