// The per-request work of a Site outside the socket: request id, routing, handler,
// headers, metrics. This is Atrium's own overhead on top of Beast.

#include <benchmark/benchmark.h>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "dialects/unichat/unichat.hpp"
#include "http/json_body.hpp"
#include "http/site.hpp"

namespace {

using namespace atrium;

void BM_SiteHandleHealth(benchmark::State& state) {
  core::SystemClock clock;
  core::SecureRandom random;
  core::metrics::RequestMetrics metrics;
  http::Site site("unichat", dialects::unichat::MakeErrorRenderer(), {}, {metrics, clock, random}, 65536);
  site.Add(http::Method::kGet, "/api/health",
           [&clock](http::Request&) -> http::Reply {
             return http::JsonReply(200, {{"status", "healthy"}, {"timestamp", core::FormatRfc3339(clock.Now())}});
           },
           {.blocking = false});
  for (auto _ : state) {
    http::Request req;
    req.method = http::Method::kGet;
    req.path = "/api/health";
    req.received_at = clock.Steady();
    site.Begin(req, {});
    const auto match = site.Match(req);
    benchmark::DoNotOptimize(site.Handle(req, match));
  }
}
BENCHMARK(BM_SiteHandleHealth);

void BM_SiteNotFound(benchmark::State& state) {
  core::SystemClock clock;
  core::SecureRandom random;
  core::metrics::RequestMetrics metrics;
  http::Site site("unichat", dialects::unichat::MakeErrorRenderer(), {}, {metrics, clock, random}, 65536);
  for (auto _ : state) {
    http::Request req;
    req.method = http::Method::kGet;
    req.path = "/nope";
    req.received_at = clock.Steady();
    site.Begin(req, {});
    const auto match = site.Match(req);
    benchmark::DoNotOptimize(site.Handle(req, match));
  }
}
BENCHMARK(BM_SiteNotFound);

}  // namespace
