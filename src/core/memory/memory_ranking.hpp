#pragma once
// How recall orders memories: relevanceScore, in [0, 1].
//
//   relevance  = 0.6 * similarity + 0.2 * importance + 0.1 * recency + 0.1 * usage
//   similarity = 0.7 * coverage + 0.3 * rank / best_rank      (0 without a query)
//   coverage   = min(1, distinct matched terms in the content / words in the query)
//   recency    = exp(-days since last recalled (or created) / 30)
//   usage      = 1 - exp(-access_count / 5)
//
// rank is the full-text index's relevance (MemoryRepository::Match) and best_rank the
// best among the candidates, so the strongest match gets the full 0.3 whatever the
// index's scale. The same formula is written out in docs/dialects.md.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace atrium::core::memory {

struct RankingInput {
  bool has_query = false;
  double coverage = 0;   // 0-1
  double rank = 0;       // the index's, > 0 for a match
  double best_rank = 0;  // the best candidate's
  double importance = 0;
  double days_idle = 0;  // since last recalled or created
  std::int64_t access_count = 0;
};

double Relevance(const RankingInput& in);

// Days between an RFC 3339 UTC timestamp ("2026-01-04T10:15:00.000Z") and `now`; 0 for
// a timestamp in the future or one that cannot be read.
double DaysSince(std::string_view rfc3339, std::chrono::system_clock::time_point now);

// The words of a query as the indexes split them (runs of letters, digits, '_' and
// non-ASCII bytes), counted.
std::size_t QueryWordCount(std::string_view query);

}  // namespace atrium::core::memory
