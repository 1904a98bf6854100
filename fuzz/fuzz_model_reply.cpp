// The readers of a model's JSON answers (auto-saved memories): the facts of an
// extraction reply and a consolidation decision, on any text. Nothing may throw or
// crash; every fact read is non-empty, within kMaxFactBytes, of importance 0-1 and
// distinct from the others by NormaliseFact, at most kMaxFactsPerMessage of them; and
// NormaliseFact is idempotent.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "core/memory/fact_extraction.hpp"
#include "core/memory/memory_consolidation.hpp"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace atrium::core::memory;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto facts = ParseExtraction(input);
  if (facts) {
    Check(facts->size() <= kMaxFactsPerMessage);
    std::set<std::string> seen;
    for (const auto& f : *facts) {
      Check(!f.text.empty() && f.text.size() <= kMaxFactBytes);
      Check(f.importance >= 0 && f.importance <= 1);
      Check(seen.insert(NormaliseFact(f.text)).second);
    }
  }
  const auto decision = ParseDecision(input);
  if (decision && decision->index) Check(*decision->index < 1000000);
  const std::string once = NormaliseFact(input);
  Check(NormaliseFact(once) == once);
  return 0;
}
