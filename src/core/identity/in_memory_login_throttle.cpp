#include "core/identity/in_memory_login_throttle.hpp"

namespace atrium::core::identity {

namespace {

std::string Key(const std::string& account, const std::string& address) { return account + '\n' + address; }

}  // namespace

Result<std::int64_t> InMemoryLoginThrottle::LockedFor(const std::string& account, const std::string& address) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(Key(account, address));
  if (it == entries_.end()) return std::int64_t{0};
  const auto now = clock_.Steady();
  if (it->second.locked_until <= now) return std::int64_t{0};
  // Rounded up, so a client that waits this long finds the lock gone.
  return static_cast<std::int64_t>(std::chrono::ceil<std::chrono::seconds>(it->second.locked_until - now).count());
}

Result<void> InMemoryLoginThrottle::RecordFailure(const std::string& account, const std::string& address) {
  std::lock_guard lock(mu_);
  const auto now = clock_.Steady();
  const std::string key = Key(account, address);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    // Only a new pair needs room; pairs already tracked keep counting when the table is full.
    if (entries_.size() >= options_.max_entries) Prune(now);
    // Full of live entries: fail open, rate limits still apply.
    if (entries_.size() >= options_.max_entries) return Ok{};
    it = entries_.emplace(key, Entry{}).first;
  }
  Entry& e = it->second;
  if (e.failures == 0 || now - e.first_failure > options_.window) {
    e.failures = 0;
    e.first_failure = now;
  }
  if (++e.failures >= options_.max_failures) {
    e.locked_until = now + options_.lockout;
    e.failures = 0;
  }
  return Ok{};
}

Result<void> InMemoryLoginThrottle::RecordSuccess(const std::string& account, const std::string& address) {
  std::lock_guard lock(mu_);
  entries_.erase(Key(account, address));
  return Ok{};
}

void InMemoryLoginThrottle::Prune(std::chrono::steady_clock::time_point now) {
  std::erase_if(entries_, [&](const auto& kv) {
    return kv.second.locked_until <= now && now - kv.second.first_failure > options_.window;
  });
}

}  // namespace atrium::core::identity
