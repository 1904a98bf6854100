#pragma once
// One SUBSCRIBE connection to a Redis server, on its own thread: the channels are
// reference-counted (Acquire/Release), the server is told only when a channel's count
// goes from 0 to 1 or back, and after a reconnect (exponential backoff) every channel
// still held is subscribed again. Messages published while the connection was down are
// lost: Redis pub/sub keeps no history.
//
// Thread-safety: every method may be called from any thread. `on_message` runs on the
// subscriber's thread, one message at a time in the order the server sent them; it
// must not call the subscriber.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/redis/redis_client.hpp"

namespace atrium::storage::redis {

class RedisSubscriber {
 public:
  using OnMessage = std::function<void(std::string_view channel, std::string_view payload)>;

  // Starts the thread, which connects at once. `stats` must outlive the subscriber.
  RedisSubscriber(RedisClientOptions options, core::metrics::SharedStateStats& stats, OnMessage on_message);
  ~RedisSubscriber();
  RedisSubscriber(const RedisSubscriber&) = delete;
  RedisSubscriber& operator=(const RedisSubscriber&) = delete;

  // Holds each of `channels` once more. When connected, waits up to `wait` until the
  // server has confirmed every one of them, so that a message published after the call
  // returns is received; returns whether all were confirmed (false at once while
  // disconnected: they are subscribed on reconnect).
  bool Acquire(const std::vector<std::string>& channels, std::chrono::milliseconds wait);
  // Releases each of `channels` once; never waits.
  void Release(const std::vector<std::string>& channels);

  bool connected() const;
  // Channels held now (for tests and metrics).
  std::size_t channel_count() const;

 private:
  struct State;
  void Work();

  const RedisClientOptions options_;
  core::metrics::SharedStateStats& stats_;
  OnMessage on_message_;
  std::unique_ptr<State> state_;
};

}  // namespace atrium::storage::redis
