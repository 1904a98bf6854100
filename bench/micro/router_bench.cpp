// Route lookup cost with every documented path of the specs registered.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "http/router.hpp"

namespace {

using atrium::http::Method;
using atrium::http::Router;

// A representative slice of endpoints.tsv, both parameter styles.
const std::vector<std::pair<Method, std::string>> kRoutes = {
    {Method::kGet, "/health"},
    {Method::kGet, "/api/curricula"},
    {Method::kGet, "/api/curricula/{curriculum_id}"},
    {Method::kGet, "/api/curricula/{curriculum_id}/full"},
    {Method::kGet, "/api/curricula/{curriculum_id}/topics/{topic_id}/transcript"},
    {Method::kGet, "/api/curricula/archived"},
    {Method::kPost, "/api/curricula/archived/{file_name}/unarchive"},
    {Method::kPatch, "/api/curricula/{curriculum_id}/topics/{topic_id}/assets/{asset_id}"},
    {Method::kGet, "/api/conversations/:id"},
    {Method::kGet, "/api/conversations/search"},
    {Method::kGet, "/api/chat/:conversation_id/messages"},
    {Method::kDelete, "/api/chat/messages/:id"},
    {Method::kGet, "/api/prompt-templates/"},
    {Method::kGet, "/api/admin/users/:id/history"},
    {Method::kGet, "/api/v1/networks/{network_id}/clients"},
    {Method::kGet, "/metrics/prometheus"},
};

Router BuildRouter() {
  Router router;
  for (const auto& [method, pattern] : kRoutes) {
    router.Add(method, pattern, [](atrium::http::Request&) -> atrium::http::Reply { return atrium::http::Response{}; });
  }
  return router;
}

void BM_RouterStatic(benchmark::State& state) {
  const Router router = BuildRouter();
  for (auto _ : state) benchmark::DoNotOptimize(router.Find(Method::kGet, "/health"));
}
BENCHMARK(BM_RouterStatic);

void BM_RouterThreeParams(benchmark::State& state) {
  const Router router = BuildRouter();
  for (auto _ : state) {
    benchmark::DoNotOptimize(router.Find(Method::kPatch, "/api/curricula/c-123/topics/t-456/assets/a-789"));
  }
}
BENCHMARK(BM_RouterThreeParams);

void BM_RouterMiss(benchmark::State& state) {
  const Router router = BuildRouter();
  for (auto _ : state) benchmark::DoNotOptimize(router.Find(Method::kGet, "/api/curricula/c-1/nothing/here"));
}
BENCHMARK(BM_RouterMiss);

}  // namespace
