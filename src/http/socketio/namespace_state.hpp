#pragma once
// Internal to the Socket.IO server: one namespace's handlers, its connected sockets and
// their rooms, and the bus subscriptions that feed relayed rooms.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "http/socketio/server.hpp"

namespace atrium::http::socketio {

class SocketImpl;

// The messages of one event packet: its text part, then one binary message per
// attachment.
std::vector<std::pair<std::string, bool>> EncodeEvent(std::string_view nsp, std::optional<std::uint64_t> id,
                                                      std::string_view event, const Message& message);
std::vector<std::pair<std::string, bool>> EncodeAck(std::string_view nsp, std::uint64_t id, const Message& message);

class NamespaceState : public std::enable_shared_from_this<NamespaceState> {
 public:
  NamespaceState(std::string name, NamespaceHandlers handlers, core::events::EventBus& events, std::size_t relay_queue)
      : name_(std::move(name)), handlers_(std::move(handlers)), events_(events), relay_queue_(relay_queue) {}

  const std::string& name() const { return name_; }
  const NamespaceHandlers& handlers() const { return handlers_; }

  void Add(const std::shared_ptr<SocketImpl>& socket);
  // Removes the socket from the namespace and from every room it was in.
  void Remove(const std::shared_ptr<SocketImpl>& socket, const std::vector<std::string>& rooms);
  void Join(const std::shared_ptr<SocketImpl>& socket, const std::string& room);
  void Leave(const std::shared_ptr<SocketImpl>& socket, const std::string& room);

  // Every socket in `room` but `except` (when given).
  std::size_t EmitToRoom(const std::string& room, std::string_view event, const Message& message,
                         const SocketImpl* except = nullptr);
  std::size_t EmitToAll(std::string_view event, const Message& message);
  std::size_t socket_count() const;

 private:
  void Deliver(const std::vector<std::shared_ptr<SocketImpl>>& targets,
               std::vector<std::pair<std::string, bool>> messages);
  void DrainRelay(const std::string& room, core::events::Subscription& subscription);

  std::string name_;
  NamespaceHandlers handlers_;
  core::events::EventBus& events_;
  std::size_t relay_queue_;

  mutable std::mutex mu_;
  std::unordered_set<std::shared_ptr<SocketImpl>> sockets_;
  // sockets_ as a list for broadcasts, made again only after a socket came or went, so
  // a broadcast to a stable namespace copies no socket references.
  std::shared_ptr<const std::vector<std::shared_ptr<SocketImpl>>> everyone_;
  std::unordered_map<std::string, std::unordered_set<std::shared_ptr<SocketImpl>>> rooms_;
  std::unordered_map<std::string, std::unique_ptr<core::events::Subscription>> relays_;
};

}  // namespace atrium::http::socketio
