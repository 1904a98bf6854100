#pragma once
// The live Engine.IO sessions of one endpoint, by sid. Thread-safe.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/socketio/engine.hpp"

namespace atrium::transport {

class EngineSession;

class EngineRegistry {
 public:
  EngineRegistry(const http::engineio::Route& route, std::size_t max_sessions)
      : route_(route), max_sessions_(max_sessions) {}

  const http::engineio::Route& route() const { return route_; }
  // False when the bound is reached.
  bool Insert(const std::shared_ptr<EngineSession>& session);
  std::shared_ptr<EngineSession> Find(const std::string& sid) const;
  void Remove(const std::string& sid);
  // Closes every session (server shutdown).
  void CloseAll(const std::string& reason);
  std::size_t size() const;

 private:
  const http::engineio::Route& route_;
  std::size_t max_sessions_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<EngineSession>> sessions_;
};

}  // namespace atrium::transport
