#pragma once
// Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): each list votes
// 1 / (k + rank) for every id it holds (rank from 1), and the ids are ordered by their
// summed votes; ties keep the order of the first list, then the second. k = 60 as in
// the paper: a low rank in one list still beats absence from both.

#include <string>
#include <vector>

namespace atrium::core::retrieval {

struct Fused {
  std::string id;
  double score = 0;
};

std::vector<Fused> FuseByReciprocalRank(const std::vector<std::vector<std::string>>& rankings, double k = 60.0);

}  // namespace atrium::core::retrieval
