#pragma once
// Admission to one upstream: at most `max_active` requests run at once, at most
// `max_waiting` more wait their turn in order, and beyond that the caller is told the
// upstream is busy at once rather than queued without bound.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>

#include "core/result.hpp"

namespace atrium::core::llm {

class UpstreamSlots {
 public:
  UpstreamSlots(std::size_t max_active, std::size_t max_waiting);

  // Thread-safe. Runs `start` now (on the caller's thread) when a slot is free, or
  // later, on the thread whose Release frees one. kResourceExhausted with reason
  // "llm_busy" when every slot is taken and the queue is full. Returns a ticket for
  // Withdraw. Whoever's `start` ran owns a slot and must Release it exactly once.
  Result<std::uint64_t> Acquire(std::function<void()> start);
  // Removes a waiting ticket. True when it was still waiting: its `start` will never run.
  bool Withdraw(std::uint64_t ticket);
  // Frees a slot; the oldest waiter (if any) takes it and its `start` runs here.
  void Release();

  std::size_t active() const;
  std::size_t waiting() const;

 private:
  struct Waiter {
    std::uint64_t ticket;
    std::function<void()> start;
  };
  const std::size_t max_active_;
  const std::size_t max_waiting_;
  mutable std::mutex mu_;
  std::size_t active_ = 0;
  std::deque<Waiter> waiting_;
  std::uint64_t next_ticket_ = 1;
};

}  // namespace atrium::core::llm
