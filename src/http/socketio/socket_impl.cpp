#include "http/socketio/socket_impl.hpp"

#include "http/socketio/socketio_packet.hpp"

namespace atrium::http::socketio {

bool SocketImpl::Emit(std::string_view event, Message message) {
  if (!connected_.load()) return false;
  return SendRaw(EncodeEvent(ns_->name(), std::nullopt, event, message));
}

bool SocketImpl::EmitWithAck(std::string_view event, Message message, AckCallback on_reply) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mu_);
    if (!connected_.load() || pending_acks_.size() >= max_pending_acks_) return false;
    id = next_ack_id_++;
    pending_acks_.emplace(id, std::move(on_reply));
  }
  if (SendRaw(EncodeEvent(ns_->name(), id, event, message))) return true;
  std::lock_guard lock(mu_);
  pending_acks_.erase(id);
  return false;
}

void SocketImpl::OnAck(std::uint64_t id, Message reply) {
  AckCallback callback;
  {
    std::lock_guard lock(mu_);
    auto it = pending_acks_.find(id);
    if (it == pending_acks_.end()) return;  // unknown or already answered: ignored, as the reference does
    callback = std::move(it->second);
    pending_acks_.erase(it);
  }
  if (callback) callback(std::move(reply));
}

void SocketImpl::Join(const std::string& room) {
  if (!connected_.load()) return;
  {
    std::lock_guard lock(mu_);
    if (!rooms_.insert(room).second) return;
  }
  ns_->Join(shared_from_this(), room);
}

void SocketImpl::Leave(const std::string& room) {
  {
    std::lock_guard lock(mu_);
    if (rooms_.erase(room) == 0) return;
  }
  ns_->Leave(shared_from_this(), room);
}

std::vector<std::string> SocketImpl::rooms() const {
  std::lock_guard lock(mu_);
  return {rooms_.begin(), rooms_.end()};
}

void SocketImpl::Disconnect() {
  if (!connected_.load()) return;
  Packet packet;
  packet.type = PacketType::kDisconnect;
  packet.nsp = ns_->name();
  std::vector<std::pair<std::string, bool>> messages;
  messages.emplace_back(EncodePacket(packet), false);
  SendRaw(std::move(messages));
  Detach("server namespace disconnect");
}

void SocketImpl::Detach(std::string_view reason) {
  if (connected_.exchange(false) == false) return;
  std::vector<std::string> rooms;
  std::map<std::uint64_t, AckCallback> acks;
  std::unique_ptr<core::identity::SessionWatch> watch;
  {
    std::lock_guard lock(mu_);
    rooms.assign(rooms_.begin(), rooms_.end());
    rooms_.clear();
    acks.swap(pending_acks_);
    watch = std::move(watch_);
  }
  ns_->Remove(shared_from_this(), rooms);
  for (auto& [id, callback] : acks) {
    if (callback) callback(std::nullopt);
  }
  if (ns_->handlers().on_disconnect) ns_->handlers().on_disconnect(*this, reason);
  // `watch` goes here, outside the lock: its destructor waits for a running notifier,
  // which only posts (below), so it never waits on this thread.
}

void SocketImpl::WatchSession(core::events::EventBus& bus) {
  if (!identity_.session) return;
  // The flag is set at once, on whichever thread learns it (the revoking request's, so
  // no event of this socket is dispatched after that request answered); the rest runs
  // on the connection's loop, never inside the bus's notifier (which may not destroy its
  // own subscription, as Detach does).
  std::weak_ptr<SocketImpl> weak = weak_from_this();
  auto end = [weak, connection = connection_](std::chrono::milliseconds delay) {
    auto leave = [weak] {
      if (auto self = weak.lock()) self->EndSession();
    };
    if (delay.count() == 0) {
      if (auto self = weak.lock()) self->session_ended_ = true;
    }
    connection->After(delay, leave);
  };
  auto watch = std::make_unique<core::identity::SessionWatch>(
      bus, *identity_.session, [end](core::identity::RevocationCause) { end({}); }, identity_.still_valid);
  {
    std::lock_guard lock(mu_);
    if (!connected_.load()) return;  // already gone: `watch` unsubscribes on the way out
    watch_ = std::move(watch);
  }
  if (identity_.expires_in) end(*identity_.expires_in);
}

void SocketImpl::EndSession() {
  if (!connected_.load()) return;
  session_ended_ = true;
  if (ns_->handlers().on_session_end) ns_->handlers().on_session_end(*this);
  Disconnect();
}

}  // namespace atrium::http::socketio
