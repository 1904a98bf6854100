// The command grammar's cost per phrase, and loading a zone file.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/commands/command_parser.hpp"

namespace {

using namespace atrium::core;

const std::vector<std::string> kPhrases = {
    "create meeting tomorrow at 3pm",
    "remind me to call Anna on Friday at 9",
    "what's the weather in Berlin",
    "briefing",
    "schedule a call with Bob next Friday at 10 for 30 minutes",
    "add dentist appointment on March 5 at 9am to my calendar",
    "what meetings do I have next 3 days",
    "show me my last 5 emails",
    "tell me a joke",
};

void BM_ParseCommand(benchmark::State& state) {
  const auto zone = time::TimeZone::Load("Europe/Berlin").value();
  const time::Seconds now{std::chrono::seconds(1770460200)};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(commands::ParseCommand(kPhrases[i++ % kPhrases.size()], now, zone));
  }
}
BENCHMARK(BM_ParseCommand);

void BM_LoadZone(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(time::TimeZone::Load("Europe/Berlin"));
}
BENCHMARK(BM_LoadZone);

}  // namespace
