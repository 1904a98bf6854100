#pragma once
// UMCF durations (transcript.totalDuration) are ISO 8601 durations: "PT45M", "PT1H30M",
// "PT90S", "P1DT2H". Years and months are refused: their length in seconds is not fixed.

#include <optional>
#include <string_view>

namespace atrium::core::curricula {

// The duration in seconds; nullopt unless text is P[nD][T[nH][nM][n[.n]S]] with at
// least one part (and at least one after a T).
std::optional<double> ParseUmcfDuration(std::string_view text);

}  // namespace atrium::core::curricula
