#include "app/shared_state.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/chat/in_memory_turn_registry.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "core/health/function_probe.hpp"
#include "core/identity/in_memory_login_throttle.hpp"
#include "core/ratelimit/in_memory_rate_limiter.hpp"
#include "storage/redis/redis_client.hpp"
#include "storage/redis/redis_event_bus.hpp"
#include "storage/redis/redis_login_throttle.hpp"
#include "storage/redis/redis_rate_limiter.hpp"
#include "storage/redis/redis_turn_registry.hpp"

namespace atrium::app {

namespace {

// A random UUID: tells this process's bus messages apart from every other's.
std::string InstanceId(core::Random& random) { return core::NewUuid(random); }

}  // namespace

SharedState::SharedState() = default;

SharedState::~SharedState() {
  turns.reset();
  throttle.reset();
  limiter.reset();
  events.reset();
  redis.reset();
}

std::unique_ptr<core::health::HealthProbe> SharedState::MakeProbe(const core::Clock& clock) const {
  if (!redis) return nullptr;
  return std::make_unique<core::health::FunctionProbe>(
      "redis",
      [client = redis.get()]() -> core::Result<void> {
        auto pong = client->Ping();
        if (!pong) return pong.error();
        return core::Ok{};
      },
      clock);
}

core::Result<std::unique_ptr<SharedState>> OpenSharedState(const Config& config, const core::Clock& clock,
                                                           core::Random& random) {
  auto state = std::make_unique<SharedState>();
  if (config.redis_url.empty()) {
    state->events = std::make_unique<core::events::InProcessEventBus>();
    state->limiter = std::make_unique<core::ratelimit::InMemoryRateLimiter>(clock);
    state->throttle = std::make_unique<core::identity::InMemoryLoginThrottle>(clock, core::identity::ThrottleOptions{});
    state->turns = std::make_unique<core::chat::InMemoryTurnRegistry>();
    return state;
  }

  auto endpoint = storage::redis::ParseRedisUrl(config.redis_url);
  if (!endpoint) return core::Error(core::ErrorCode::kInvalidArgument, "redis.url: " + endpoint.error().safe_message());
  storage::redis::RedisClientOptions options;
  options.endpoint = std::move(*endpoint);
  options.timeout = std::chrono::milliseconds(config.redis_timeout_ms);
  state->stats.enabled = true;
  state->redis = std::make_unique<storage::redis::RedisClient>(options, state->stats);
  const auto first_wait = std::max(options.timeout, std::chrono::milliseconds(1000));
  if (!state->redis->WaitConnected(first_wait)) {
    spdlog::warn("redis {}:{} is unreachable; shared limits fail by their rules until it answers",
                 options.endpoint.host, options.endpoint.port);
  }
  state->events = std::make_unique<storage::redis::RedisEventBus>(
      *state->redis, options,
      storage::redis::RedisEventBusOptions{.prefix = config.redis_prefix, .instance_id = InstanceId(random)},
      state->stats);
  state->limiter = std::make_unique<storage::redis::RedisRateLimiter>(*state->redis, config.redis_prefix);
  state->throttle = std::make_unique<storage::redis::RedisLoginThrottle>(*state->redis, config.redis_prefix,
                                                                         core::identity::ThrottleOptions{});
  state->turns = std::make_unique<storage::redis::RedisTurnRegistry>(*state->redis, config.redis_prefix);
  return state;
}

}  // namespace atrium::app
