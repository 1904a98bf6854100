#pragma once
// Internal to the Socket.IO server: what every session of one server shares.

#include <map>
#include <memory>
#include <string>

#include "http/socketio/namespace_state.hpp"

namespace atrium::http::socketio {

struct Server::Shared {
  Shared(ServerOptions o, core::Random& r, core::events::EventBus& e) : options(std::move(o)), random(r), events(e) {}

  std::shared_ptr<NamespaceState> Find(std::string_view name) const {
    auto it = namespaces.find(name);
    return it == namespaces.end() ? nullptr : it->second;
  }

  ServerOptions options;
  core::Random& random;
  core::events::EventBus& events;
  // Filled before serving, read-only afterwards.
  std::map<std::string, std::shared_ptr<NamespaceState>, std::less<>> namespaces;
};

}  // namespace atrium::http::socketio
