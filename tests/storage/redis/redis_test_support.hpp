#pragma once
// Client options for a test server, with short timeouts and backoff so outages and
// recoveries take milliseconds.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "storage/redis/redis_client.hpp"

namespace atrium::storage::redis {

inline RedisClientOptions TestOptions(const std::string& url) {
  auto endpoint = ParseRedisUrl(url);
  if (!endpoint) throw std::runtime_error("bad test URL " + url);
  RedisClientOptions options;
  options.endpoint = *endpoint;
  options.timeout = std::chrono::milliseconds(500);
  options.backoff_min = std::chrono::milliseconds(20);
  options.backoff_max = std::chrono::milliseconds(200);
  return options;
}

// Waits up to `timeout` for `condition`.
template <class F>
bool Eventually(F condition, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace atrium::storage::redis

#define ATRIUM_REQUIRE_REDIS(url)                              \
  const std::string url = ::atrium::testing::SharedRedisUrl(); \
  if (url.empty()) GTEST_SKIP() << "no test Redis (ATRIUM_TEST_REDIS_URL_FILE)"
