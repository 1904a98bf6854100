// The upstream SSE parser and stream-chunk decoder on any bytes, fed whole and in
// pieces cut where the input's first byte says. Nothing may throw or crash, a bound
// once exceeded stays exceeded, and splitting never changes the events.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/llm/sse_parser.hpp"
#include "core/llm/upstream_protocol.hpp"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

struct Run {
  std::vector<std::string> data;
  bool ok = true;
};

Run Parse(std::string_view input, std::size_t piece) {
  atrium::core::llm::SseParser parser(4096);
  Run run;
  for (std::size_t at = 0; at < input.size() && run.ok; at += piece) {
    run.ok = parser.Feed(input.substr(at, piece), [&](const atrium::core::llm::SseEvent& e) {
      Check(e.data.size() <= 4096);
      run.data.push_back(e.data);
    });
  }
  if (!run.ok) Check(parser.failed());
  return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 7;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto whole = Parse(input, input.size() + 1);
  const auto split = Parse(input, piece);
  if (whole.ok && split.ok) Check(whole.data == split.data);
  for (const auto& d : whole.data) {
    auto chunk = atrium::core::llm::protocol::DecodeStreamChunk(d);
    if (chunk) Check(!chunk->done || chunk->delta.empty());
  }
  return 0;
}
