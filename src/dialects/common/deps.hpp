#pragma once
// The core services every dialect's shared helpers use (authentication, guards, rate
// limits, socket sessions, turn streams). Each dialect's Deps derives from it, so a
// helper takes `const CommonDeps&` whatever dialect calls it. References only: they
// are never null and outlive every site (app/ owns the services).

namespace atrium::core {
class Clock;
}  // namespace atrium::core
namespace atrium::core::identity {
class IdentityService;
class ApiKeys;
}  // namespace atrium::core::identity
namespace atrium::core::ratelimit {
class RateLimiter;
}  // namespace atrium::core::ratelimit
namespace atrium::core::events {
class EventBus;
}  // namespace atrium::core::events

namespace atrium::dialects {

struct DialectSettings;

struct CommonDeps {
  const core::Clock& clock;
  core::identity::IdentityService& identity;
  core::identity::ApiKeys& api_keys;
  core::ratelimit::RateLimiter& limiter;
  core::events::EventBus& events;
  const DialectSettings& settings;
};

}  // namespace atrium::dialects
