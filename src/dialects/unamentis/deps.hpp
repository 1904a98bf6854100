#pragma once
// The core services unamentis's handlers use.
// Built by app/dialect_factory.cpp; every reference is non-null and outlives the
// dialect's sites. Forward declarations only: a core header this dialect does not use
// rebuilds none of its files.

#include "dialects/common/deps.hpp"

namespace atrium::core::health {
class HealthService;
}  // namespace atrium::core::health
namespace atrium::core::logs {
class ClientLogService;
}  // namespace atrium::core::logs
namespace atrium::core::media {
class MediaService;
}  // namespace atrium::core::media

namespace atrium::dialects::unamentis {

struct Deps : CommonDeps {
  core::health::HealthService& health;
  core::logs::ClientLogService& client_logs;
  core::media::MediaService& media;
};

}  // namespace atrium::dialects::unamentis
