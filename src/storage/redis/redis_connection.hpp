#pragma once
// One blocking connection to a Redis server (hiredis underneath, which no header
// outside this folder's .cpp files includes). Owned and used by one thread at a time:
// RedisClient's worker or RedisSubscriber's thread, never an I/O thread.
//
// Every read and write is bounded by the timeout given to Open. A transport failure
// (refused, reset, timed out, malformed reply) is kUnavailable and leaves the
// connection broken: the owner drops it and opens a new one.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/redis/redis_endpoint.hpp"
#include "storage/redis/redis_value.hpp"

namespace atrium::storage::redis {

using Command = std::vector<std::string>;

class RedisConnection {
 public:
  // Connects, authenticates (when the endpoint has a password) and selects the
  // endpoint's database.
  static core::Result<std::unique_ptr<RedisConnection>> Open(const RedisEndpoint& endpoint,
                                                             std::chrono::milliseconds timeout);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends every command, then reads their replies in order (one round trip). A reply
  // that is a Redis error (kError) is a value, not a failure.
  core::Result<std::vector<RedisValue>> Pipeline(const std::vector<Command>& commands);
  core::Result<RedisValue> Run(const Command& command);

  // For a subscriber connection, whose replies come unasked: Send writes one command
  // without waiting for its reply; Fill reads what the socket has (call it when the
  // descriptor is readable) and Next returns the replies read so far, one at a time.
  core::Result<void> Send(const Command& command);
  core::Result<void> Fill();
  core::Result<std::optional<RedisValue>> Next();

  // The socket, for poll().
  int fd() const;

 private:
  struct Context;
  explicit RedisConnection(std::unique_ptr<Context> context);
  core::Result<void> Append(const Command& command);
  core::Result<void> Flush();
  core::Result<RedisValue> ReadOne();
  core::Error Broken(const char* what);

  std::unique_ptr<Context> context_;
};

}  // namespace atrium::storage::redis
