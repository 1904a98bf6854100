#pragma once
// Commands to one Redis server, never run on the caller's thread: a worker thread owns
// the connection, takes the commands queued meanwhile as one pipelined batch, and
// reconnects after a failure with exponential backoff. Callers wait for a reply
// (Run, Eval, Ping) or not at all (Post).
//
// Failure: every call fails with kUnavailable when the server cannot be reached - at
// once while the client is disconnected (no call waits for a reconnect), after the
// timeout when the server does not answer in time, and when the queue is full. A
// command that timed out may still run later; callers only use commands for which that
// errs the safe way (a rate-limit token taken, a registry entry written).
//
// Thread-safety: every method may be called from any thread. Calls that wait block the
// calling thread for at most the timeout: call them from worker threads.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/redis/redis_connection.hpp"
#include "storage/redis/redis_endpoint.hpp"
#include "storage/redis/redis_value.hpp"

namespace atrium::core::metrics {
struct SharedStateStats;
}  // namespace atrium::core::metrics

namespace atrium::storage::redis {

struct RedisClientOptions {
  RedisEndpoint endpoint;
  // Bounds the connect, every read and write, and a caller's wait for its reply.
  std::chrono::milliseconds timeout{500};
  std::chrono::milliseconds backoff_min{50};
  std::chrono::milliseconds backoff_max{2000};
  std::size_t max_queue = 10000;  // commands waiting for the worker, at most
};

// A Lua script run by EVALSHA; the client loads it (EVAL) when the server does not
// know it yet (first use, after a restart or SCRIPT FLUSH).
class RedisScript {
 public:
  explicit RedisScript(std::string source);
  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }

 private:
  std::string source_;
  std::string sha1_;  // lower-case hex
};

class RedisClient {
 public:
  // Starts the worker, which connects at once. `stats` must outlive the client.
  RedisClient(RedisClientOptions options, core::metrics::SharedStateStats& stats);
  // Stops the worker once the commands already queued were sent (while connected;
  // otherwise they fail with kUnavailable).
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Runs one command and returns its reply (a Redis error reply is a value).
  core::Result<RedisValue> Run(Command command);
  // Runs `script` with `keys` and `args`.
  core::Result<RedisValue> Eval(const RedisScript& script, std::vector<std::string> keys,
                                std::vector<std::string> args);
  // Queues one command without waiting; `done`, when given, is called on the worker
  // thread with its outcome (it must be quick and must not call the client). Commands
  // posted by one thread run in the order posted.
  core::Result<void> Post(Command command, std::function<void(const core::Result<RedisValue>&)> done = {});
  // One PING: the time from the call to its reply.
  core::Result<std::chrono::microseconds> Ping();

  // Whether the worker holds a live connection now.
  bool connected() const;
  // Waits up to `timeout` for the first connection (start-up); true when connected.
  bool WaitConnected(std::chrono::milliseconds timeout) const;

  const RedisClientOptions& options() const { return options_; }

 private:
  struct Request;
  struct State;
  core::Result<void> Enqueue(std::shared_ptr<Request> request);
  core::Result<RedisValue> Wait(std::shared_ptr<Request> request);
  void Work();

  const RedisClientOptions options_;
  core::metrics::SharedStateStats& stats_;
  std::unique_ptr<State> state_;
};

}  // namespace atrium::storage::redis
