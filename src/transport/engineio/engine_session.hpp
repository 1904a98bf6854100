#pragma once
// One Engine.IO v4 session: its outgoing queue, the transport currently draining it
// (a pending long-polling GET or a WebSocket writer), the upgrade state, heartbeats and
// the handler it feeds. Shared by the requests and connections that serve it, which
// may run on different I/O threads; every member is guarded by the session's lock.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/worker_pool.hpp"
#include "http/socketio/engine.hpp"
#include "http/socketio/engineio_packet.hpp"
#include "transport/http/server_impl.hpp"
#include "transport/http/wakeup.hpp"

namespace atrium::transport {

class EngineRegistry;

enum class EngineTransport { kPolling, kWebSocket };

// A queued packet: its own data, or one of a broadcast's messages shared with every
// other session it went to.
struct Outgoing {
  http::engineio::PacketType type = http::engineio::PacketType::kMessage;
  bool binary = false;
  std::string data;
  http::engineio::Connection::SharedMessages shared;
  std::size_t index = 0;

  const std::string& text() const { return shared ? (*shared)[index].first : data; }
};

// How long a session ended by the client's close packet stays known for a GET that
// raced that packet.
inline constexpr std::chrono::milliseconds kClosedPollGrace{1000};

class EngineSession final : public http::engineio::Connection, public std::enable_shared_from_this<EngineSession> {
 public:
  EngineSession(std::string sid, const http::engineio::Options& options, EngineTransport transport,
                std::unique_ptr<http::engineio::Handler> handler, asio::any_io_executor home, core::WorkerPool& pool,
                EngineRegistry& registry);
  ~EngineSession() override;

  // http::engineio::Connection
  const std::string& sid() const override { return sid_; }
  bool SendText(std::string text) override;
  bool SendBinary(std::string bytes) override;
  bool SendBatch(std::vector<std::pair<std::string, bool>> messages) override;
  bool SendShared(const SharedMessages& messages) override;
  void Close() override { Close("forced server close"); }
  bool closed() const override;
  bool RunBlocking(std::function<void()> task) override;
  void After(std::chrono::milliseconds delay, std::function<void()> callback) override;

  // Transport side.
  const http::engineio::Options& options() const { return options_; }
  std::string OpenPacket() const;  // "0{...}" for this session's transport
  // Starts heartbeats and tells the handler the session is open.
  void Start();
  // Ends the session once: the drainer gets its last answer, the registry forgets the
  // sid, the handler hears OnClose(reason) on the session's home thread.
  void Close(std::string reason, bool by_client_close_packet = false);
  // A packet from the client (ping/pong handled here, messages to the handler).
  // False when the packet is not allowed (the session is then closed).
  bool OnPacket(http::engineio::Packet packet);

  EngineTransport transport() const;
  bool upgrading() const;
  // Long-polling: claims the single GET slot. False when another GET holds it (the
  // reference closes the session for that "overlap").
  bool BeginPoll(std::shared_ptr<Wakeup> wakeup);
  // What the pending GET should answer now, or nullopt to keep waiting: the queued
  // packets, a noop while an upgrade is under way, or the close/noop that ends it.
  std::optional<std::string> TakePollAnswer();
  void EndPoll();

  // Upgrade: a probe WebSocket arrived; true when it may proceed (no other upgrade).
  bool BeginUpgrade();
  void AbortUpgrade();
  // The client sent "5": from now on the WebSocket drains the queue.
  void CompleteUpgrade(std::shared_ptr<Wakeup> writer);
  // WebSocket writer: swaps the queue into `batch` (given empty) and tells whether the
  // session is closed.
  void TakeForWebSocket(std::vector<Outgoing>& batch, bool& closed);
  void SetWebSocketWriter(std::shared_ptr<Wakeup> writer);

 private:
  bool Enqueue(std::vector<http::engineio::Packet> packets);
  // Under the lock, `append` queues `count` packets of `bytes` in all - unless that
  // would overflow the queue: then the session is closed. False when nothing was queued.
  bool Admit(std::size_t count, std::size_t bytes, const std::function<void()>& append);
  void NotifyDrainer();  // with mu_ held
  asio::awaitable<void> Heartbeat();

  const std::string sid_;
  const http::engineio::Options options_;
  const asio::any_io_executor home_;
  core::WorkerPool& pool_;
  EngineRegistry& registry_;
  std::size_t max_queued_bytes_;

  mutable std::mutex mu_;
  EngineTransport transport_;
  std::vector<Outgoing> outbox_;  // empty and unallocated while idle
  std::size_t queued_bytes_ = 0;
  std::shared_ptr<Wakeup> drainer_;  // the pending GET or the WebSocket writer
  bool polling_ = false;             // a GET holds the slot
  bool upgrading_ = false;
  bool closed_ = false;
  bool client_closed_ = false;  // ended by the client's close packet: the GET gets a noop
  bool awaiting_pong_ = false;
  std::vector<std::shared_ptr<asio::steady_timer>> timers_;
  asio::steady_timer heartbeat_;

  std::mutex handler_mu_;  // serialises handler calls
  std::unique_ptr<http::engineio::Handler> handler_;
};

}  // namespace atrium::transport
