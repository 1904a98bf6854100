#pragma once
// The core services mira's handlers use.
// Built by app/dialect_factory.cpp; every reference is non-null and outlives the
// dialect's sites. Forward declarations only: a core header this dialect does not use
// rebuilds none of its files.

#include "dialects/common/deps.hpp"

namespace atrium::core::health {
class HealthService;
}  // namespace atrium::core::health
namespace atrium::core::metrics {
class RequestMetrics;
}  // namespace atrium::core::metrics

namespace atrium::dialects::mira {

struct Deps : CommonDeps {
  core::health::HealthService& health;
  core::metrics::RequestMetrics& metrics;
};

}  // namespace atrium::dialects::mira
