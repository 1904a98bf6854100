// Rate-limit check latency: Atrium's in-process limiter against the Redis one (one Lua
// script per check over the driver's worker thread), on the same machine. Run by hand
// through bench/ratelimit_bench.sh, which starts a throw-away redis-server; see
// bench/README.md.
//
//   atrium_ratelimit_bench --redis redis://127.0.0.1:PORT/0 [--checks N] [--threads T]
//
// For each limiter and each thread count (1 and T): N checks per thread on distinct
// keys of one rule (so every check is allowed and does the full bucket update), then
// p50/p99/max latency of one check and checks per second overall.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/metrics/shared_state_stats.hpp"
#include "core/ratelimit/in_memory_rate_limiter.hpp"
#include "storage/redis/redis_client.hpp"
#include "storage/redis/redis_rate_limiter.hpp"

namespace {

using namespace atrium;
using Clock = std::chrono::steady_clock;

struct Figures {
  double p50_us = 0, p99_us = 0, max_us = 0, per_second = 0;
};

Figures Run(core::ratelimit::RateLimiter& limiter, int threads, int checks, const std::string& tag) {
  const core::ratelimit::RateRule rule{.name = "bench", .limit = 1000000, .window = std::chrono::seconds(60)};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
  std::atomic<int> failures{0};
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto& mine = latencies[static_cast<std::size_t>(t)];
      mine.reserve(static_cast<std::size_t>(checks));
      for (int i = 0; i < checks; ++i) {
        const std::string key = tag + ":" + std::to_string(t) + ":" + std::to_string(i % 1000);
        const auto before = Clock::now();
        auto decision = limiter.Check(rule, key);
        mine.push_back(std::chrono::duration<double, std::micro>(Clock::now() - before).count());
        if (!decision) ++failures;
      }
    });
  }
  for (auto& w : workers) w.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  if (failures > 0) std::fprintf(stderr, "ratelimit_bench: %d checks failed\n", failures.load());
  Figures f;
  f.p50_us = all[all.size() / 2];
  f.p99_us = all[all.size() * 99 / 100];
  f.max_us = all.back();
  f.per_second = static_cast<double>(all.size()) / seconds;
  return f;
}

void Row(const char* name, int threads, const Figures& f) {
  std::printf("| %-10s | %7d | %9.1f | %9.1f | %9.1f | %11.0f |\n", name, threads, f.p50_us, f.p99_us, f.max_us,
              f.per_second);
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  int checks = 20000;
  int threads = 4;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--redis") url = argv[i + 1];
    if (flag == "--checks") checks = std::max(100, std::atoi(argv[i + 1]));
    if (flag == "--threads") threads = std::max(1, std::atoi(argv[i + 1]));
  }
  if (url.empty()) {
    std::fprintf(stderr, "usage: %s --redis redis://127.0.0.1:PORT/0 [--checks N] [--threads T]\n", argv[0]);
    return 2;
  }
  auto endpoint = storage::redis::ParseRedisUrl(url);
  if (!endpoint) {
    std::fprintf(stderr, "ratelimit_bench: %s\n", endpoint.error().safe_message().c_str());
    return 2;
  }
  core::SystemClock clock;
  core::ratelimit::InMemoryRateLimiter in_memory(clock);
  core::metrics::SharedStateStats stats;
  storage::redis::RedisClientOptions options;
  options.endpoint = *endpoint;
  options.timeout = std::chrono::seconds(2);
  storage::redis::RedisClient client(options, stats);
  if (!client.WaitConnected(std::chrono::seconds(5))) {
    std::fprintf(stderr, "ratelimit_bench: redis at %s is unreachable\n", url.c_str());
    return 1;
  }
  storage::redis::RedisRateLimiter redis(client, "bench:");

  std::printf("%d checks per thread, distinct keys, every check allowed\n\n", checks);
  std::printf("| limiter    | threads | p50 (us)  | p99 (us)  | max (us)  | checks/s    |\n");
  std::printf("|------------|---------|-----------|-----------|-----------|-------------|\n");
  (void)Run(redis, 1, 1000, "warm");  // loads the script, warms the connection
  for (int t : {1, threads}) {
    Row("in-process", t, Run(in_memory, t, checks, "m" + std::to_string(t)));
    Row("redis", t, Run(redis, t, checks, "r" + std::to_string(t)));
  }
  return 0;
}
