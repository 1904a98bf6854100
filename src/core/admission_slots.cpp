#include "core/admission_slots.hpp"

#include <algorithm>

namespace atrium::core {

AdmissionSlots::AdmissionSlots(std::size_t max_active, std::size_t max_waiting, AdmissionRefusals refusals)
    : max_active_(max_active == 0 ? 1 : max_active), max_waiting_(max_waiting), refusals_(std::move(refusals)) {}

Result<AdmissionSlots::Slot> AdmissionSlots::Acquire(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  if (active_ < max_active_ && line_.empty()) {
    ++active_;
    return Slot(this);
  }
  if (line_.size() >= max_waiting_) {
    return Error(ErrorCode::kResourceExhausted, refusals_.busy_message).WithReason(refusals_.busy_reason);
  }
  const std::uint64_t ticket = next_ticket_++;
  line_.push_back(ticket);
  const bool got = cv_.wait_until(lock, deadline, [&] { return line_.front() == ticket && active_ < max_active_; });
  line_.erase(std::find(line_.begin(), line_.end(), ticket));
  cv_.notify_all();  // the next in line may be able to go now
  if (!got) {
    return Error(ErrorCode::kUnavailable, refusals_.timeout_message).WithReason(refusals_.timeout_reason);
  }
  ++active_;
  return Slot(this);
}

void AdmissionSlots::Release() {
  std::lock_guard lock(mu_);
  --active_;
  cv_.notify_all();
}

std::size_t AdmissionSlots::active() const {
  std::lock_guard lock(mu_);
  return active_;
}

std::size_t AdmissionSlots::waiting() const {
  std::lock_guard lock(mu_);
  return line_.size();
}

}  // namespace atrium::core
