#pragma once
// Internal to the Socket.IO server: one client's membership of one namespace.

#include <atomic>
#include <mutex>
#include <set>

#include "core/identity/session_revocation.hpp"
#include "http/socketio/namespace_state.hpp"

namespace atrium::http::socketio {

class SocketImpl final : public Socket, public std::enable_shared_from_this<SocketImpl> {
 public:
  SocketImpl(std::string id, std::shared_ptr<NamespaceState> ns, std::shared_ptr<engineio::Connection> connection,
             Identity identity, std::shared_ptr<const Handshake> handshake, std::size_t max_pending_acks)
      : id_(std::move(id)),
        ns_(std::move(ns)),
        connection_(std::move(connection)),
        identity_(std::move(identity)),
        handshake_(std::move(handshake)),
        max_pending_acks_(max_pending_acks) {}

  const std::string& id() const override { return id_; }
  const std::string& nsp() const override { return ns_->name(); }
  const Identity& identity() const override { return identity_; }
  const Handshake& handshake() const override { return *handshake_; }
  bool Emit(std::string_view event, Message message) override;
  bool EmitWithAck(std::string_view event, Message message, AckCallback on_reply) override;
  void Join(const std::string& room) override;
  void Leave(const std::string& room) override;
  std::vector<std::string> rooms() const override;
  std::size_t EmitToRoom(const std::string& room, std::string_view event, const Message& message) override {
    return ns_->EmitToRoom(room, event, message);
  }
  std::size_t BroadcastToRoom(const std::string& room, std::string_view event, const Message& message) override {
    return ns_->EmitToRoom(room, event, message, this);
  }
  std::size_t EmitToNamespace(std::string_view event, const Message& message) override {
    return ns_->EmitToAll(event, message);
  }
  void Disconnect() override;
  bool connected() const override { return connected_.load(); }
  bool session_ended() const override { return session_ended_.load(); }
  bool RunBlocking(std::function<void()> task) override { return connection_->RunBlocking(std::move(task)); }
  std::shared_ptr<Socket> Self() override { return shared_from_this(); }
  void After(std::chrono::milliseconds delay, std::function<void()> callback) override {
    connection_->After(delay, std::move(callback));
  }

  // Server side.
  bool SendRaw(std::vector<std::pair<std::string, bool>> messages) {
    return connection_->SendBatch(std::move(messages));
  }
  // The same messages to many sockets (rooms, broadcasts).
  bool SendShared(const engineio::Connection::SharedMessages& messages) { return connection_->SendShared(messages); }
  // The client answered one of our EmitWithAck calls.
  void OnAck(std::uint64_t id, Message reply);
  // Leaves the namespace: rooms, pending acks, the disconnect hook. Once only.
  void Detach(std::string_view reason);
  // After CONNECT: with a session in the identity, follows its revocations on `bus` and
  // its expiry, and then disconnects (see Identity::session).
  void WatchSession(core::events::EventBus& bus);
  // On the connection's loop, once the session ended: on_session_end, then Disconnect.
  void EndSession();
  NamespaceState& ns() { return *ns_; }

 private:
  std::string id_;
  std::shared_ptr<NamespaceState> ns_;
  std::shared_ptr<engineio::Connection> connection_;
  Identity identity_;
  std::shared_ptr<const Handshake> handshake_;
  std::size_t max_pending_acks_;
  std::atomic<bool> connected_{true};
  std::atomic<bool> session_ended_{false};

  mutable std::mutex mu_;
  std::set<std::string> rooms_;
  std::map<std::uint64_t, AckCallback> pending_acks_;
  std::uint64_t next_ack_id_ = 0;
  std::unique_ptr<core::identity::SessionWatch> watch_;  // released after the disconnect hook
};

}  // namespace atrium::http::socketio
