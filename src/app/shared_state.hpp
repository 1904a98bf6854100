#pragma once
// The state an instance may share with others, chosen by configuration: with redis.url
// the event bus, rate limiter, login throttle and running-turn registry live in that
// Redis server (storage/redis); without it, in this process, exactly as on one machine.
// The only place that chooses between them.

#include <memory>

#include "app/config.hpp"
#include "core/chat/turn_registry.hpp"
#include "core/clock.hpp"
#include "core/events/event_bus.hpp"
#include "core/identity/login_throttle.hpp"
#include "core/metrics/shared_state_stats.hpp"
#include "core/random.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "core/result.hpp"

namespace atrium::core::health {
class HealthProbe;
}  // namespace atrium::core::health
namespace atrium::storage::redis {
class RedisClient;
}  // namespace atrium::storage::redis

namespace atrium::app {

struct SharedState {
  SharedState();
  ~SharedState();  // the parts first, then the Redis client they use
  SharedState(const SharedState&) = delete;
  SharedState& operator=(const SharedState&) = delete;

  core::metrics::SharedStateStats stats;               // enabled when Redis is configured
  std::unique_ptr<storage::redis::RedisClient> redis;  // null without redis.url
  std::unique_ptr<core::events::EventBus> events;
  std::unique_ptr<core::ratelimit::RateLimiter> limiter;
  std::unique_ptr<core::identity::LoginThrottle> throttle;
  std::unique_ptr<core::chat::TurnRegistry> turns;

  // The "redis" health probe (its PING latency), or null without Redis.
  std::unique_ptr<core::health::HealthProbe> MakeProbe(const core::Clock& clock) const;
};

// Builds the configured parts. With Redis, waits up to redis.timeout_ms (at least a
// second) for the first connection; a server still unreachable then is no start-up
// failure (the parts fail their calls, each caller's FailMode decides, and the client
// keeps reconnecting), but an invalid redis.url is. `clock` and `random` must outlive
// the result.
core::Result<std::unique_ptr<SharedState>> OpenSharedState(const Config& config, const core::Clock& clock,
                                                           core::Random& random);

}  // namespace atrium::app
