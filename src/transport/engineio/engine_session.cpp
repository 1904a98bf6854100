#include "transport/engineio/engine_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "transport/engineio/engine_registry.hpp"

namespace atrium::transport {

namespace eio = http::engineio;

EngineSession::EngineSession(std::string sid, const eio::Options& options, EngineTransport transport,
                             std::unique_ptr<eio::Handler> handler, asio::any_io_executor home, core::WorkerPool& pool,
                             EngineRegistry& registry)
    : sid_(std::move(sid)),
      options_(options),
      home_(home),
      pool_(pool),
      registry_(registry),
      max_queued_bytes_(std::max<std::size_t>(4 * options.max_payload, 4u << 20)),
      transport_(transport),
      heartbeat_(home),
      handler_(std::move(handler)) {}

EngineSession::~EngineSession() = default;

std::string EngineSession::OpenPacket() const {
  boost::json::array upgrades;
  if (transport() == EngineTransport::kPolling && options_.allow_upgrades) upgrades.emplace_back("websocket");
  boost::json::object open{{"sid", sid_},
                           {"upgrades", std::move(upgrades)},
                           {"pingInterval", options_.ping_interval.count()},
                           {"pingTimeout", options_.ping_timeout.count()},
                           {"maxPayload", options_.max_payload}};
  return "0" + boost::json::serialize(open);
}

void EngineSession::Start() {
  asio::co_spawn(
      home_, [self = shared_from_this()]() { return self->Heartbeat(); }, asio::detached);
  std::lock_guard lock(handler_mu_);
  if (handler_) handler_->OnOpen(shared_from_this());
}

asio::awaitable<void> EngineSession::Heartbeat() {
  for (;;) {
    heartbeat_.expires_after(options_.ping_interval);
    co_await heartbeat_.async_wait(asio::as_tuple(asio::use_awaitable));
    {
      std::lock_guard lock(mu_);
      if (closed_) co_return;
      awaiting_pong_ = true;
    }
    Enqueue({{eio::PacketType::kPing, "", false}});
    const auto deadline = std::chrono::steady_clock::now() + options_.ping_timeout;
    for (;;) {
      heartbeat_.expires_at(deadline);
      co_await heartbeat_.async_wait(asio::as_tuple(asio::use_awaitable));
      std::lock_guard lock(mu_);
      if (closed_) co_return;
      if (!awaiting_pong_) break;
      if (std::chrono::steady_clock::now() >= deadline) break;
    }
    bool timed_out = false;
    {
      std::lock_guard lock(mu_);
      timed_out = awaiting_pong_;
    }
    if (timed_out) {
      Close("ping timeout");
      co_return;
    }
  }
}

bool EngineSession::SendText(std::string text) {
  return Enqueue({{eio::PacketType::kMessage, std::move(text), false}});
}

bool EngineSession::SendBinary(std::string bytes) {
  return Enqueue({{eio::PacketType::kMessage, std::move(bytes), true}});
}

bool EngineSession::SendBatch(std::vector<std::pair<std::string, bool>> messages) {
  std::size_t bytes = 0;
  for (const auto& m : messages) bytes += m.first.size() + 1;
  return Admit(messages.size(), bytes, [&] {
    for (auto& [data, binary] : messages) outbox_.push_back({eio::PacketType::kMessage, binary, std::move(data)});
  });
}

bool EngineSession::SendShared(const SharedMessages& messages) {
  std::size_t bytes = 0;
  for (const auto& m : *messages) bytes += m.first.size() + 1;
  return Admit(messages->size(), bytes, [&] {
    for (std::size_t i = 0; i < messages->size(); ++i) {
      outbox_.push_back({eio::PacketType::kMessage, (*messages)[i].second, {}, messages, i});
    }
  });
}

bool EngineSession::Enqueue(std::vector<eio::Packet> packets) {
  std::size_t bytes = 0;
  for (const auto& p : packets) bytes += p.data.size() + 1;
  return Admit(packets.size(), bytes, [&] {
    for (auto& p : packets) outbox_.push_back({p.type, p.binary, std::move(p.data)});
  });
}

bool EngineSession::Admit(std::size_t count, std::size_t bytes, const std::function<void()>& append) {
  bool overflow = false;
  {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    if (outbox_.size() + count > options_.max_queued_messages || queued_bytes_ + bytes > max_queued_bytes_) {
      overflow = true;
    } else {
      append();
      queued_bytes_ += bytes;
      NotifyDrainer();
    }
  }
  if (overflow) {
    // A client that stopped reading is disconnected, not buffered for.
    Close("transport error");
    return false;
  }
  return true;
}

void EngineSession::NotifyDrainer() {
  if (drainer_) drainer_->Notify();
}

bool EngineSession::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

bool EngineSession::RunBlocking(std::function<void()> task) { return pool_.TrySubmit(std::move(task)); }

void EngineSession::After(std::chrono::milliseconds delay, std::function<void()> callback) {
  auto timer = std::make_shared<asio::steady_timer>(home_);
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    timers_.push_back(timer);
  }
  asio::post(home_, [timer, delay, callback = std::move(callback), weak = weak_from_this()]() mutable {
    timer->expires_after(delay);
    timer->async_wait([callback = std::move(callback), weak](const boost::system::error_code& ec) {
      if (ec) return;
      auto self = weak.lock();
      if (!self || self->closed()) return;
      callback();
    });
  });
}

void EngineSession::Close(std::string reason, bool by_client_close_packet) {
  std::vector<std::shared_ptr<asio::steady_timer>> timers;
  bool linger = false;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    client_closed_ = by_client_close_packet;
    // The client's close packet came in a POST while no GET was pending: its GET may be
    // on its way on another connection (it sent both at once). That GET is answered as
    // the pending one would have been, with a noop; a GET after it, or after the grace,
    // finds the sid gone.
    linger = by_client_close_packet && transport_ == EngineTransport::kPolling && !polling_;
    timers.swap(timers_);
    NotifyDrainer();
  }
  if (linger) {
    auto grace = std::make_shared<asio::steady_timer>(home_, kClosedPollGrace);
    grace->async_wait(
        [grace, self = shared_from_this()](const boost::system::error_code&) { self->registry_.Remove(self->sid_); });
  } else {
    registry_.Remove(sid_);
  }
  asio::post(home_, [self = shared_from_this(), reason = std::move(reason), timers = std::move(timers)] {
    self->heartbeat_.cancel();
    for (auto& t : timers) t->cancel();
    std::unique_ptr<eio::Handler> handler;
    {
      std::lock_guard lock(self->handler_mu_);
      handler.swap(self->handler_);
      if (handler) handler->OnClose(reason);
    }
    // Destroyed outside the lock; this also breaks the handler -> connection cycle.
    handler.reset();
  });
}

bool EngineSession::OnPacket(eio::Packet packet) {
  switch (packet.type) {
    case eio::PacketType::kPong: {
      std::lock_guard lock(mu_);
      // Only an awaited pong ends the timeout wait early; a stray one changes nothing.
      if (awaiting_pong_) asio::post(home_, [self = shared_from_this()] { self->heartbeat_.cancel(); });
      awaiting_pong_ = false;
      return true;
    }
    case eio::PacketType::kMessage: {
      std::lock_guard lock(handler_mu_);
      if (!handler_ || closed()) return true;
      if (packet.binary) {
        handler_->OnBinary(packet.data);
      } else {
        handler_->OnText(packet.data);
      }
      return true;
    }
    case eio::PacketType::kClose:
      Close("transport close", true);
      return true;
    case eio::PacketType::kNoop:
      return true;
    case eio::PacketType::kPing:  // the server pings in v4; a client ping is a protocol error
    case eio::PacketType::kOpen:
    case eio::PacketType::kUpgrade:
      break;
  }
  Close("transport error");
  return false;
}

EngineTransport EngineSession::transport() const {
  std::lock_guard lock(mu_);
  return transport_;
}

bool EngineSession::upgrading() const {
  std::lock_guard lock(mu_);
  return upgrading_;
}

bool EngineSession::BeginPoll(std::shared_ptr<Wakeup> wakeup) {
  std::lock_guard lock(mu_);
  if (polling_) return false;
  polling_ = true;
  drainer_ = std::move(wakeup);
  return true;
}

std::optional<std::string> EngineSession::TakePollAnswer() {
  std::lock_guard lock(mu_);
  const auto noop = std::string(1, static_cast<char>(eio::PacketType::kNoop));
  // Upgraded, or upgrading: the queue is the WebSocket's; the GET ends with a noop.
  if (transport_ != EngineTransport::kPolling || (upgrading_ && !closed_)) return noop;
  if (outbox_.empty() && !closed_) return std::nullopt;
  std::vector<eio::Packet> packets;
  packets.reserve(outbox_.size() + 1);
  for (auto& o : outbox_) packets.push_back({o.type, o.shared ? o.text() : std::move(o.data), o.binary});
  std::vector<Outgoing>().swap(outbox_);
  queued_bytes_ = 0;
  // A closed session sends what was queued, then its last packet: a noop when the
  // client's close packet ended it, else a close packet.
  if (closed_) packets.push_back({client_closed_ ? eio::PacketType::kNoop : eio::PacketType::kClose, "", false});
  return eio::EncodePayload(packets);
}

void EngineSession::EndPoll() {
  bool closed = false;
  {
    std::lock_guard lock(mu_);
    polling_ = false;
    if (transport_ == EngineTransport::kPolling) drainer_.reset();
    closed = closed_;
  }
  if (closed) registry_.Remove(sid_);  // the last GET of a closed session was answered
}

bool EngineSession::BeginUpgrade() {
  std::lock_guard lock(mu_);
  if (closed_ || upgrading_ || transport_ != EngineTransport::kPolling) return false;
  upgrading_ = true;
  NotifyDrainer();  // a pending GET answers noop so the client can switch
  return true;
}

void EngineSession::AbortUpgrade() {
  std::lock_guard lock(mu_);
  if (transport_ == EngineTransport::kPolling) upgrading_ = false;
}

void EngineSession::CompleteUpgrade(std::shared_ptr<Wakeup> writer) {
  std::lock_guard lock(mu_);
  upgrading_ = false;
  transport_ = EngineTransport::kWebSocket;
  if (drainer_) drainer_->Notify();  // a GET still pending ends with a noop
  drainer_ = std::move(writer);
  drainer_->Notify();
}

void EngineSession::SetWebSocketWriter(std::shared_ptr<Wakeup> writer) {
  std::lock_guard lock(mu_);
  drainer_ = std::move(writer);
  drainer_->Notify();
}

void EngineSession::TakeForWebSocket(std::vector<Outgoing>& batch, bool& closed) {
  std::lock_guard lock(mu_);
  batch.swap(outbox_);
  queued_bytes_ = 0;
  closed = closed_;
}

}  // namespace atrium::transport
