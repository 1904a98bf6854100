#include "http/socketio/namespace_state.hpp"

#include <boost/json.hpp>

#include "http/socketio/socket_impl.hpp"
#include "http/socketio/socketio_packet.hpp"

namespace atrium::http::socketio {

namespace json = boost::json;

namespace {

std::vector<std::pair<std::string, bool>> Encode(Packet packet, const std::vector<std::string>& attachments) {
  if (!attachments.empty()) {
    packet.type = packet.type == PacketType::kEvent ? PacketType::kBinaryEvent : PacketType::kBinaryAck;
    packet.attachments = attachments.size();
  }
  std::vector<std::pair<std::string, bool>> out;
  out.reserve(1 + attachments.size());
  out.emplace_back(EncodePacket(packet), false);
  for (const auto& a : attachments) out.emplace_back(a, true);
  return out;
}

}  // namespace

std::vector<std::pair<std::string, bool>> EncodeEvent(std::string_view nsp, std::optional<std::uint64_t> id,
                                                      std::string_view event, const Message& message) {
  Packet packet;
  packet.type = PacketType::kEvent;
  packet.nsp = std::string(nsp);
  packet.id = id;
  json::array data;
  data.reserve(message.args.size() + 1);
  data.emplace_back(json::string(event));
  for (const auto& a : message.args) data.push_back(a);
  packet.data = std::move(data);
  return Encode(std::move(packet), message.attachments);
}

std::vector<std::pair<std::string, bool>> EncodeAck(std::string_view nsp, std::uint64_t id, const Message& message) {
  Packet packet;
  packet.type = PacketType::kAck;
  packet.nsp = std::string(nsp);
  packet.id = id;
  packet.data = message.args;
  return Encode(std::move(packet), message.attachments);
}

void NamespaceState::Add(const std::shared_ptr<SocketImpl>& socket) {
  std::lock_guard lock(mu_);
  sockets_.insert(socket);
  everyone_.reset();
}

void NamespaceState::Remove(const std::shared_ptr<SocketImpl>& socket, const std::vector<std::string>& rooms) {
  for (const auto& room : rooms) Leave(socket, room);
  std::lock_guard lock(mu_);
  sockets_.erase(socket);
  everyone_.reset();
}

void NamespaceState::Join(const std::shared_ptr<SocketImpl>& socket, const std::string& room) {
  bool subscribe = false;
  {
    std::lock_guard lock(mu_);
    auto& members = rooms_[room];
    members.insert(socket);
    subscribe = handlers_.relay && members.size() == 1 && !relays_.contains(room);
    if (subscribe) relays_[room] = nullptr;  // reserved: a concurrent join does not subscribe twice
  }
  if (!subscribe) return;
  auto subscription = events_.Subscribe({room}, {relay_queue_, core::events::OverflowPolicy::kDropOldest});
  // The notifier runs on publishers' threads; emitting is thread-safe. It is set while
  // this function still owns the subscription, and the weak pointer keeps it from
  // touching a namespace that is being destroyed.
  core::events::Subscription* raw = subscription.get();
  raw->SetNotifier([weak = weak_from_this(), room, raw] {
    if (auto self = weak.lock()) self->DrainRelay(room, *raw);
  });
  {
    std::lock_guard lock(mu_);
    auto it = relays_.find(room);
    if (it != relays_.end() && it->second == nullptr) {
      it->second = std::move(subscription);
      return;
    }
  }
  subscription.reset();  // the room emptied meanwhile; destroyed outside the lock
}

void NamespaceState::Leave(const std::shared_ptr<SocketImpl>& socket, const std::string& room) {
  std::unique_ptr<core::events::Subscription> dropped;
  {
    std::lock_guard lock(mu_);
    auto it = rooms_.find(room);
    if (it == rooms_.end()) return;
    it->second.erase(socket);
    if (!it->second.empty()) return;
    rooms_.erase(it);
    if (auto r = relays_.find(room); r != relays_.end()) {
      dropped = std::move(r->second);
      relays_.erase(r);
    }
  }
  // Destroyed outside the lock: it waits for a running notifier, which takes the lock.
  dropped.reset();
}

void NamespaceState::DrainRelay(const std::string& room, core::events::Subscription& subscription) {
  while (auto event = subscription.TryPop()) {
    auto relayed = handlers_.relay(*event);
    if (relayed) EmitToRoom(room, relayed->event, relayed->message);
  }
}

void NamespaceState::Deliver(const std::vector<std::shared_ptr<SocketImpl>>& targets,
                             std::vector<std::pair<std::string, bool>> messages) {
  // Encoded once, queued by reference on every socket.
  const auto shared = std::make_shared<const std::vector<std::pair<std::string, bool>>>(std::move(messages));
  for (const auto& socket : targets) socket->SendShared(shared);
}

std::size_t NamespaceState::EmitToRoom(const std::string& room, std::string_view event, const Message& message,
                                       const SocketImpl* except) {
  std::vector<std::shared_ptr<SocketImpl>> targets;
  {
    std::lock_guard lock(mu_);
    auto it = rooms_.find(room);
    if (it == rooms_.end()) return 0;
    for (const auto& socket : it->second) {
      if (socket.get() != except) targets.push_back(socket);
    }
  }
  if (targets.empty()) return 0;
  Deliver(targets, EncodeEvent(name_, std::nullopt, event, message));
  return targets.size();
}

std::size_t NamespaceState::EmitToAll(std::string_view event, const Message& message) {
  std::shared_ptr<const std::vector<std::shared_ptr<SocketImpl>>> targets;
  {
    std::lock_guard lock(mu_);
    if (!everyone_)
      everyone_ = std::make_shared<const std::vector<std::shared_ptr<SocketImpl>>>(sockets_.begin(), sockets_.end());
    targets = everyone_;
  }
  Deliver(*targets, EncodeEvent(name_, std::nullopt, event, message));
  return targets->size();
}

std::size_t NamespaceState::socket_count() const {
  std::lock_guard lock(mu_);
  return sockets_.size();
}

}  // namespace atrium::http::socketio
