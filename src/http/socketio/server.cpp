#include "http/socketio/server.hpp"

#include <stdexcept>

#include "http/socketio/client.hpp"
#include "http/socketio/shared.hpp"

namespace atrium::http::socketio {

Server::Server(ServerOptions options, core::Random& random, core::events::EventBus& events)
    : shared_(std::make_shared<Shared>(std::move(options), random, events)) {}

Server::~Server() = default;

void Server::AddNamespace(std::string name, NamespaceHandlers handlers) {
  if (name.empty() || name.front() != '/') throw std::invalid_argument("namespace must start with '/': " + name);
  if (shared_->namespaces.contains(name)) throw std::invalid_argument("duplicate namespace: " + name);
  auto state =
      std::make_shared<NamespaceState>(name, std::move(handlers), shared_->events, shared_->options.relay_queue);
  shared_->namespaces.emplace(std::move(name), std::move(state));
}

engineio::Route Server::MakeRoute() {
  engineio::Route route;
  route.options = shared_->options.engine;
  route.accept = [shared = shared_](const Request& handshake) { return MakeClient(shared, handshake); };
  route.make_id = [shared = shared_] { return RandomId(shared->random); };
  return route;
}

std::size_t Server::EmitToRoom(std::string_view nsp, const std::string& room, std::string_view event,
                               const Message& message) {
  auto ns = shared_->Find(nsp);
  return ns ? ns->EmitToRoom(room, event, message) : 0;
}

std::size_t Server::EmitToAll(std::string_view nsp, std::string_view event, const Message& message) {
  auto ns = shared_->Find(nsp);
  return ns ? ns->EmitToAll(event, message) : 0;
}

std::size_t Server::socket_count(std::string_view nsp) const {
  auto ns = shared_->Find(nsp);
  return ns ? ns->socket_count() : 0;
}

}  // namespace atrium::http::socketio
