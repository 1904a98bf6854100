#pragma once
// Runs a blocking function on the WorkerPool and resumes the calling coroutine on its
// own event loop with the result. Returns nullopt, without running `fn`, when the
// pool's queue is full.

#include <memory>
#include <optional>
#include <utility>

#include "core/worker_pool.hpp"
#include "transport/http/server_impl.hpp"

namespace atrium::transport {

template <class T, class Fn>
asio::awaitable<std::optional<T>> RunBlocking(core::WorkerPool& pool, Fn fn) {
  auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::optional<T>)>(
      [&pool, &fn, executor](auto handler) {
        // The handler is move-only; the pool takes copyable tasks, so share it.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        auto guard = asio::make_work_guard(executor);
        const bool accepted = pool.TrySubmit([shared, guard, fn = std::move(fn)]() mutable {
          std::optional<T> result(fn());
          auto ex = guard.get_executor();
          asio::post(ex, [shared, result = std::move(result), guard = std::move(guard)]() mutable {
            (*shared)(std::move(result));
          });
        });
        if (!accepted) {
          asio::post(executor, [shared]() mutable { (*shared)(std::optional<T>{}); });
        }
      },
      asio::use_awaitable);
}

}  // namespace atrium::transport
