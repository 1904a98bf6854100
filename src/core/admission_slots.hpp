#pragma once
// Admission to engines that are CPU bound (speech, media renderers): at most
// `max_active` jobs run at once (one per core is the sensible default), at most
// `max_waiting` more wait, in order, until their deadline. Beyond that a caller is told
// "busy" at once. The refusals carry the caller's own messages and reasons.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "core/reason.hpp"
#include "core/result.hpp"

namespace atrium::core {

struct AdmissionRefusals {
  std::string busy_message = "Busy";
  Reason busy_reason = Reason::kNone;
  std::string timeout_message = "Timed out waiting for a free slot";
  Reason timeout_reason = Reason::kNone;
};

class AdmissionSlots {
 public:
  AdmissionSlots(std::size_t max_active, std::size_t max_waiting, AdmissionRefusals refusals = {});

  class Slot {
   public:
    explicit Slot(AdmissionSlots* owner) : owner_(owner) {}
    Slot(Slot&& o) noexcept : owner_(o.owner_) { o.owner_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (owner_ != nullptr) owner_->Release();
    }

   private:
    AdmissionSlots* owner_;
  };

  // Blocks until a slot is free (kResourceExhausted with the busy reason at once when
  // the queue is full; kUnavailable with the timeout reason when `deadline` passes
  // first). Thread-safe.
  Result<Slot> Acquire(std::chrono::steady_clock::time_point deadline);

  std::size_t active() const;
  std::size_t waiting() const;

 private:
  void Release();
  const std::size_t max_active_;
  const std::size_t max_waiting_;
  const AdmissionRefusals refusals_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::size_t active_ = 0;
  std::deque<std::uint64_t> line_;  // waiting tickets, oldest first
  std::uint64_t next_ticket_ = 0;
};

}  // namespace atrium::core
