#pragma once
// A one-slot wake-up for a coroutine on one event loop, callable from any thread: the
// coroutine waits on a timer; Notify cancels it (on the loop's own thread). Notifies
// that arrive while nobody waits are remembered, so none is lost.

#include <atomic>
#include <memory>

#include "transport/http/server_impl.hpp"

namespace atrium::transport {

class Wakeup : public std::enable_shared_from_this<Wakeup> {
 public:
  explicit Wakeup(asio::any_io_executor executor) : executor_(executor), timer_(executor) {}

  // Thread-safe. On the loop's own thread (a broadcast from a handler) the timer is
  // cancelled at once, not by a posted step: cancelling only queues the waiter's
  // completion, so nothing runs inside the caller.
  void Notify() {
    if (pending_.exchange(true)) return;  // one wake-up in flight is enough
    asio::dispatch(executor_, [self = shared_from_this()] { self->timer_.cancel(); });
  }

  // On the loop's thread: returns at once when notified since the last wait, else waits
  // until notified or `timeout` passes. True when notified.
  asio::awaitable<bool> Wait(std::chrono::milliseconds timeout) {
    if (pending_.exchange(false)) co_return true;
    timer_.expires_after(timeout);
    auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    const bool notified = pending_.exchange(false);
    co_return notified || ec == asio::error::operation_aborted;
  }

 private:
  asio::any_io_executor executor_;
  asio::steady_timer timer_;
  std::atomic<bool> pending_{false};
};

}  // namespace atrium::transport
