#include "core/retrieval/rank_fusion.hpp"

#include <algorithm>
#include <unordered_map>

namespace atrium::core::retrieval {

std::vector<Fused> FuseByReciprocalRank(const std::vector<std::vector<std::string>>& rankings, double k) {
  std::vector<Fused> out;
  std::unordered_map<std::string, std::size_t> at;
  for (const auto& ranking : rankings) {
    for (std::size_t r = 0; r < ranking.size(); ++r) {
      const auto [it, fresh] = at.emplace(ranking[r], out.size());
      if (fresh) out.push_back({ranking[r], 0});
      out[it->second].score += 1.0 / (k + static_cast<double>(r + 1));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Fused& a, const Fused& b) { return a.score > b.score; });
  return out;
}

}  // namespace atrium::core::retrieval
