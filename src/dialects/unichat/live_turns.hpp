#pragma once
// The generations a user may stop (stop_generation, arena_stop_generation): each by the
// id the client was told (a message id, an arena session id), owned by its user and
// started by one socket (whose session's end stops it: TakeStartedBy). Entries hold the
// turn weakly; a finished turn's entry is dropped when it ends or by the next sweep.

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace atrium::dialects::unichat {

template <class Turn>
class LiveTurns {
 public:
  void Add(const std::string& key, const std::string& user_id, const std::string& socket_id,
           const std::shared_ptr<Turn>& turn) {
    std::lock_guard lock(mu_);
    // Sweep finished turns once the map has doubled since the last sweep: amortised
    // constant time per insertion.
    if (turns_.size() >= sweep_at_) {
      for (auto it = turns_.begin(); it != turns_.end();) {
        it = it->second.turn.expired() ? turns_.erase(it) : std::next(it);
      }
      sweep_at_ = std::max<std::size_t>(64, 2 * turns_.size());
    }
    turns_[key] = {user_id, socket_id, turn};
  }

  // The user's running turn by that key, or null (none, finished, or another user's).
  std::shared_ptr<Turn> Find(const std::string& key, const std::string& user_id) {
    std::lock_guard lock(mu_);
    const auto it = turns_.find(key);
    if (it == turns_.end() || it->second.user_id != user_id) return nullptr;
    return it->second.turn.lock();
  }

  void Remove(const std::string& key) {
    std::lock_guard lock(mu_);
    turns_.erase(key);
  }

  // The running turns `socket_id` started, removed from here (for the caller to stop).
  std::vector<std::shared_ptr<Turn>> TakeStartedBy(const std::string& socket_id) {
    std::vector<std::shared_ptr<Turn>> out;
    std::lock_guard lock(mu_);
    for (auto it = turns_.begin(); it != turns_.end();) {
      if (it->second.socket_id != socket_id) {
        ++it;
        continue;
      }
      if (auto turn = it->second.turn.lock()) out.push_back(std::move(turn));
      it = turns_.erase(it);
    }
    return out;
  }

 private:
  struct Entry {
    std::string user_id;
    std::string socket_id;
    std::weak_ptr<Turn> turn;
  };
  std::mutex mu_;
  std::map<std::string, Entry> turns_;
  std::size_t sweep_at_ = 64;
};

}  // namespace atrium::dialects::unichat
