#include "core/identity/login_throttle.hpp"

namespace atrium::core::identity {

namespace {

std::string Key(const std::string& account, const std::string& address) { return account + '\n' + address; }

}  // namespace

std::int64_t LoginThrottle::LockedFor(const std::string& account, const std::string& address) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(Key(account, address));
  if (it == entries_.end()) return 0;
  const auto now = clock_.Steady();
  if (it->second.locked_until <= now) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(it->second.locked_until - now).count() + 1;
}

void LoginThrottle::RecordFailure(const std::string& account, const std::string& address) {
  std::lock_guard lock(mu_);
  const auto now = clock_.Steady();
  if (entries_.size() >= options_.max_entries) Prune(now);
  if (entries_.size() >= options_.max_entries) return;  // full of live entries: fail open, rate limits still apply
  Entry& e = entries_[Key(account, address)];
  if (e.failures == 0 || now - e.first_failure > options_.window) {
    e.failures = 0;
    e.first_failure = now;
  }
  if (++e.failures >= options_.max_failures) {
    e.locked_until = now + options_.lockout;
    e.failures = 0;
  }
}

void LoginThrottle::RecordSuccess(const std::string& account, const std::string& address) {
  std::lock_guard lock(mu_);
  entries_.erase(Key(account, address));
}

void LoginThrottle::Prune(std::chrono::steady_clock::time_point now) {
  std::erase_if(entries_, [&](const auto& kv) {
    return kv.second.locked_until <= now && now - kv.second.first_failure > options_.window;
  });
}

}  // namespace atrium::core::identity
