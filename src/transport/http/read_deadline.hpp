#pragma once
// A deadline for reads that, unlike beast::tcp_stream's own timeout, cancels the read
// without closing the socket, so the session can still answer 408 before closing.

#include <memory>

#include "transport/http/server_impl.hpp"

namespace atrium::transport {

class ReadDeadline {
 public:
  explicit ReadDeadline(tcp::socket& socket) : socket_(socket), timer_(socket.get_executor()) {}
  ~ReadDeadline() { Disarm(); }
  ReadDeadline(const ReadDeadline&) = delete;
  ReadDeadline& operator=(const ReadDeadline&) = delete;

  void Arm(std::chrono::steady_clock::time_point at) {
    state_ = std::make_shared<State>();
    timer_.expires_at(at);
    // The handler may run after the session is gone (when the wait is cancelled);
    // it touches the socket only while still armed, which Disarm clears first.
    timer_.async_wait([state = state_, &socket = socket_](const boost::system::error_code& ec) {
      if (ec || !state->armed) return;
      state->fired = true;
      boost::system::error_code ignored;
      socket.cancel(ignored);
    });
  }

  // Stops the deadline; true when it had fired (the read was cut short by it).
  bool Disarm() {
    if (!state_) return false;
    state_->armed = false;
    timer_.cancel();
    const bool fired = state_->fired;
    state_.reset();
    return fired;
  }

 private:
  struct State {
    bool armed = true;
    bool fired = false;
  };
  tcp::socket& socket_;
  asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

}  // namespace atrium::transport
