#include "transport/engineio/engine_registry.hpp"

#include <vector>

#include "transport/engineio/engine_session.hpp"

namespace atrium::transport {

bool EngineRegistry::Insert(const std::shared_ptr<EngineSession>& session) {
  std::lock_guard lock(mu_);
  if (sessions_.size() >= max_sessions_) return false;
  return sessions_.emplace(session->sid(), session).second;
}

std::shared_ptr<EngineSession> EngineRegistry::Find(const std::string& sid) const {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(sid);
  return it == sessions_.end() ? nullptr : it->second;
}

void EngineRegistry::Remove(const std::string& sid) {
  std::shared_ptr<EngineSession> gone;  // released outside the lock
  std::lock_guard lock(mu_);
  if (auto it = sessions_.find(sid); it != sessions_.end()) {
    gone = std::move(it->second);
    sessions_.erase(it);
  }
}

void EngineRegistry::CloseAll(const std::string& reason) {
  std::vector<std::shared_ptr<EngineSession>> all;
  {
    std::lock_guard lock(mu_);
    for (auto& [sid, s] : sessions_) all.push_back(s);
  }
  for (auto& s : all) s->Close(reason);
}

std::size_t EngineRegistry::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace atrium::transport
