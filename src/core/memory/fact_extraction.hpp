#pragma once
// Facts worth keeping, as a model picks them out of a user's chat message: the prompt
// that asks for them and the lenient reading of its answer. Used by the memory
// extraction job (extraction_job.hpp); pure functions, no I/O.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/llm/generation.hpp"
#include "core/memory/memory.hpp"
#include "core/result.hpp"

namespace atrium::core::memory {

// A reply names at most this many facts (the rest are dropped), each at most this long
// (a longer one is dropped: a "fact" of a paragraph is the model misbehaving).
inline constexpr std::size_t kMaxFactsPerMessage = 10;
inline constexpr std::size_t kMaxFactBytes = 300;
// The part of a message the model is shown.
inline constexpr std::size_t kMaxExtractionInput = 4000;

struct ExtractedFact {
  std::string text;  // cleaned as MemoryService::Save would store it
  MemoryType type = MemoryType::kFact;
  double importance = 0.5;  // 0-1

  bool operator==(const ExtractedFact&) const = default;
};

// The request that asks `model` (empty: the default) for the facts in `message` (the
// user's own words only; cut to kMaxExtractionInput bytes). Deterministic sampling.
llm::GenerationRequest FactExtractionRequest(std::string_view message, const std::string& model);

// Reads the first JSON value of `reply` (prose and code fences around it are ignored):
// {"facts": [...]} (or "memories"), a bare array, or one fact object. A fact is an
// object {text (or fact / content), type?, importance?} or a plain string; an unknown
// type is "fact", a missing or non-numeric importance 0.5, one outside 0-1 is clamped.
// Empty, overlong and repeated (NormaliseFact-equal) facts are dropped, then the first
// kMaxFactsPerMessage are kept. kInvalidArgument when the reply holds no such JSON; an
// empty list is a valid "nothing worth keeping".
Result<std::vector<ExtractedFact>> ParseExtraction(std::string_view reply);

// The form two facts are compared in: ASCII letters lower-cased, every run of other
// ASCII characters that are not digits one space (bytes of non-ASCII characters are
// kept), no space at the ends. "User likes tea." and "user likes  TEA" are one fact.
std::string NormaliseFact(std::string_view text);

}  // namespace atrium::core::memory
