#pragma once
// Open connections per client address, so one address cannot hold every one of
// server.max_connections. IPv6 peers count by their /64 (a single host usually has a
// whole prefix to pick from); IPv4-mapped IPv6 peers count as their IPv4 address.
// Thread-safe: the listener acquires on its loop, sessions release on theirs.

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace atrium::transport {

class AddressConnectionLimit {
 public:
  // `max_per_address` 0 means no limit. Peers whose address text is in `exempt` (the
  // trusted reverse proxies, which carry many clients each) are never limited.
  AddressConnectionLimit(std::size_t max_per_address, std::vector<std::string> exempt)
      : max_(max_per_address), exempt_(std::move(exempt)) {}
  AddressConnectionLimit(const AddressConnectionLimit&) = delete;
  AddressConnectionLimit& operator=(const AddressConnectionLimit&) = delete;

  // One connection's place; gives it back when destroyed. Must not outlive the limit.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept : owner_(other.owner_), key_(std::move(other.key_)) { other.owner_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot() {
      if (owner_ != nullptr) owner_->Release(key_);
    }

   private:
    friend class AddressConnectionLimit;
    Slot(AddressConnectionLimit* owner, std::string key) : owner_(owner), key_(std::move(key)) {}
    AddressConnectionLimit* owner_ = nullptr;
    std::string key_;
  };

  // A place for a new connection from `address`, or nothing when that address already
  // holds the maximum.
  std::optional<Slot> TryAcquire(const boost::asio::ip::address& address) {
    if (max_ == 0) return Slot{};
    for (const auto& e : exempt_) {
      if (e == address.to_string()) return Slot{};
    }
    std::string key = Key(address);
    const std::lock_guard lock(mutex_);
    std::size_t& open = open_[key];
    if (open >= max_) return std::nullopt;
    ++open;
    return Slot(this, std::move(key));
  }

  // Connections open from `address` (for tests and metrics).
  std::size_t Open(const boost::asio::ip::address& address) const {
    const std::lock_guard lock(mutex_);
    const auto it = open_.find(Key(address));
    return it == open_.end() ? 0 : it->second;
  }

 private:
  static std::string Key(const boost::asio::ip::address& address) {
    if (address.is_v6() && !address.to_v6().is_v4_mapped()) {
      const auto bytes = address.to_v6().to_bytes();
      return std::string("6") + std::string(reinterpret_cast<const char*>(bytes.data()), 8);
    }
    const auto v4 = address.is_v4() ? address.to_v4()
                                    : boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
    const auto bytes = v4.to_bytes();
    return std::string("4") + std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }

  void Release(const std::string& key) {
    const std::lock_guard lock(mutex_);
    const auto it = open_.find(key);
    if (it == open_.end()) return;
    if (--it->second == 0) open_.erase(it);
  }

  const std::size_t max_;
  const std::vector<std::string> exempt_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> open_;
};

}  // namespace atrium::transport
