#pragma once
// Where a Redis server is and how to talk to it, parsed from redis.url:
//   redis://[[user]:password@]host[:port][/db]
// Only plain TCP (no rediss://): a server on another machine is reached through a
// private network or a tunnel.

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace atrium::storage::redis {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int database = 0;
  std::string user;      // empty: the default user
  std::string password;  // empty: no AUTH
};

// kInvalidArgument, with the reason, for a URL of another scheme or a bad port or db.
core::Result<RedisEndpoint> ParseRedisUrl(std::string_view url);

}  // namespace atrium::storage::redis
