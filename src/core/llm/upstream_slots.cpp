#include "core/llm/upstream_slots.hpp"

#include <algorithm>

namespace atrium::core::llm {

UpstreamSlots::UpstreamSlots(std::size_t max_active, std::size_t max_waiting)
    : max_active_(std::max<std::size_t>(1, max_active)), max_waiting_(max_waiting) {}

Result<std::uint64_t> UpstreamSlots::Acquire(std::function<void()> start) {
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(mu_);
    ticket = next_ticket_++;
    if (active_ >= max_active_) {
      if (waiting_.size() >= max_waiting_) {
        return Error(ErrorCode::kResourceExhausted, "The LLM upstream is busy; try again shortly",
                     "upstream queue full (" + std::to_string(active_) + " running, " +
                         std::to_string(waiting_.size()) + " waiting)")
            .WithReason(Reason::kLlmBusy);
      }
      waiting_.push_back({ticket, std::move(start)});
      return ticket;
    }
    ++active_;
  }
  start();
  return ticket;
}

bool UpstreamSlots::Withdraw(std::uint64_t ticket) {
  std::lock_guard lock(mu_);
  const auto it = std::find_if(waiting_.begin(), waiting_.end(), [&](const Waiter& w) { return w.ticket == ticket; });
  if (it == waiting_.end()) return false;
  waiting_.erase(it);
  return true;
}

void UpstreamSlots::Release() {
  std::function<void()> next;
  {
    std::lock_guard lock(mu_);
    if (waiting_.empty()) {
      if (active_ > 0) --active_;
      return;
    }
    next = std::move(waiting_.front().start);  // the slot passes on; active_ stays
    waiting_.pop_front();
  }
  next();
}

std::size_t UpstreamSlots::active() const {
  std::lock_guard lock(mu_);
  return active_;
}

std::size_t UpstreamSlots::waiting() const {
  std::lock_guard lock(mu_);
  return waiting_.size();
}

}  // namespace atrium::core::llm
