#include "transport/http/websocket_session.hpp"

#include <algorithm>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>

#include "transport/http/wakeup.hpp"

namespace atrium::transport {

namespace websocket = beast::websocket;

namespace {

struct Outgoing {
  std::string data;
  bool binary = false;
};

class Connection final : public http::WebSocketConnection {
 public:
  Connection(std::shared_ptr<Wakeup> wakeup, std::size_t max_queued) : wakeup_(std::move(wakeup)), max_(max_queued) {}

  bool SendText(std::string text) override { return Enqueue({std::move(text), false}); }
  bool SendBinary(std::string bytes) override { return Enqueue({std::move(bytes), true}); }

  void Close(int code, std::string reason) override {
    {
      std::lock_guard lock(mu_);
      if (close_code_ != 0 || gone_) return;
      close_code_ = code;
      close_reason_ = std::move(reason);
    }
    wakeup_->Notify();
  }

  void CloseAfter(std::chrono::milliseconds delay, int code, std::string reason) override {
    {
      std::lock_guard lock(mu_);
      if (close_code_ != 0 || gone_) return;
      deadline_ = Deadline{std::chrono::steady_clock::now() + delay, code, std::move(reason)};
    }
    wakeup_->Notify();  // the writer waits no longer than the deadline
  }

  bool closed() const override {
    std::lock_guard lock(mu_);
    return close_code_ != 0 || gone_;
  }

  // Transport side. A deadline that has passed becomes the close; otherwise `wait` is
  // cut to it.
  std::deque<Outgoing> Take(int& close_code, std::string& close_reason, std::chrono::milliseconds& wait) {
    std::lock_guard lock(mu_);
    if (deadline_ && close_code_ == 0) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline_->at) {
        close_code_ = deadline_->code;
        close_reason_ = std::move(deadline_->reason);
        deadline_.reset();
      } else {
        wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(deadline_->at - now));
      }
    }
    std::deque<Outgoing> out;
    out.swap(queue_);
    close_code = close_code_;
    close_reason = close_reason_;
    return out;
  }
  void MarkGone() {
    std::lock_guard lock(mu_);
    gone_ = true;
    queue_.clear();
  }

 private:
  bool Enqueue(Outgoing message) {
    {
      std::lock_guard lock(mu_);
      if (close_code_ != 0 || gone_) return false;
      if (queue_.size() >= max_) {
        // A consumer that stopped reading is disconnected, not buffered for.
        close_code_ = http::kClosePolicy;
        close_reason_ = "send queue full";
        queue_.clear();
      } else {
        queue_.push_back(std::move(message));
      }
    }
    wakeup_->Notify();
    return !closed();
  }

  std::shared_ptr<Wakeup> wakeup_;
  std::size_t max_;
  mutable std::mutex mu_;
  std::deque<Outgoing> queue_;
  int close_code_ = 0;
  std::string close_reason_;
  struct Deadline {
    std::chrono::steady_clock::time_point at;
    int code = 0;
    std::string reason;
  };
  std::optional<Deadline> deadline_;
  bool gone_ = false;
};

}  // namespace

asio::awaitable<void> RunWebSocket(Server::Impl& server, beast::tcp_stream& tcp, beast::flat_buffer& buffer,
                                   SessionControl& control, beast::http::request<beast::http::string_body> upgrade,
                                   std::unique_ptr<http::WebSocketHandler> handler, http::WebSocketOptions options) {
  websocket::stream<beast::tcp_stream&> ws(tcp);
  tcp.expires_never();  // the websocket stream keeps its own timers from here on
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = server.options.write_timeout;
  timeouts.idle_timeout = options.idle_timeout;
  timeouts.keep_alive_pings = true;  // a ping at half the idle timeout; no pong by the end closes it
  ws.set_option(timeouts);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "atrium"); }));
  ws.read_message_max(options.max_message_bytes);
  ws.auto_fragment(false);

  auto [accept_ec] = co_await ws.async_accept(upgrade, asio::as_tuple(asio::use_awaitable));
  if (accept_ec) co_return;

  auto executor = co_await asio::this_coro::executor;
  auto wakeup = std::make_shared<Wakeup>(executor);
  auto connection = std::make_shared<Connection>(wakeup, options.max_queued_messages);

  // The writer drains the queue; it must end before this frame does.
  bool writer_done = false;
  bool reader_done = false;
  asio::co_spawn(
      executor,
      [&]() -> asio::awaitable<void> {
        for (;;) {
          int close_code = 0;
          std::string reason;
          std::chrono::milliseconds wait(60000);
          auto batch = connection->Take(close_code, reason, wait);
          bool failed = false;
          for (auto& m : batch) {
            ws.binary(m.binary);
            auto [ec, n] = co_await ws.async_write(asio::buffer(m.data), asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (ec) {
              failed = true;
              break;
            }
          }
          if (failed || reader_done) break;
          if (close_code != 0) {
            websocket::close_reason cr;
            cr.code = static_cast<std::uint16_t>(close_code);
            cr.reason = reason;
            co_await ws.async_close(cr, asio::as_tuple(asio::use_awaitable));
            break;
          }
          if (batch.empty()) co_await wakeup->Wait(wait);
        }
        writer_done = true;
        wakeup->Notify();
      },
      asio::detached);

  handler->OnOpen(connection);
  int peer_code = 1006;
  control.idle = true;  // at shutdown the connection is cut at once (code 1006 for the peer)
  for (;;) {
    beast::flat_buffer message;
    auto [ec, n] = co_await ws.async_read(message, asio::as_tuple(asio::use_awaitable));
    (void)n;
    if (ec) {
      if (ec == websocket::error::closed) peer_code = ws.reason().code;
      break;
    }
    const std::string_view data(static_cast<const char*>(message.data().data()), message.size());
    if (ws.got_text()) {
      handler->OnText(data);
    } else {
      handler->OnBinary(data);
    }
  }
  control.idle = false;
  reader_done = true;
  connection->MarkGone();
  handler->OnClose(peer_code);
  // Stop the writer and wait for it: it refers to this frame.
  wakeup->Notify();
  if (!writer_done) {
    boost::system::error_code ignored;
    tcp.socket().cancel(ignored);
  }
  while (!writer_done) co_await wakeup->Wait(std::chrono::milliseconds(50));
  (void)buffer;
}

}  // namespace atrium::transport
