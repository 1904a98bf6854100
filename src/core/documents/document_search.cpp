#include "core/documents/document_search.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/retrieval/rank_fusion.hpp"
#include "core/retrieval/semantic_index.hpp"
#include "core/text/stop_words.hpp"

namespace atrium::core::documents {

Result<std::vector<ChunkMatch>> DocumentSearch::Search(const std::string& user_id, const std::string& text,
                                                       std::int64_t limit,
                                                       const std::vector<float>* query_vector) const {
  const std::int64_t n = std::clamp<std::int64_t>(limit, 1, 50);
  // Each list brings more candidates than are kept, so fusion has something to weigh.
  auto by_text = repo_.MatchChunks(user_id, text::ContentWords(text), 3 * n);
  if (!by_text) return by_text.error();
  if (vectors_ == nullptr || query_vector == nullptr || query_vector->empty()) {
    if (static_cast<std::int64_t>(by_text->size()) > n) by_text->resize(static_cast<std::size_t>(n));
    return by_text;
  }
  auto by_meaning =
      vectors_->Search(user_id, retrieval::ItemKind::kChunk, *query_vector, static_cast<std::size_t>(3 * n));
  if (!by_meaning) {
    if (static_cast<std::int64_t>(by_text->size()) > n) by_text->resize(static_cast<std::size_t>(n));
    return by_text;
  }
  std::vector<std::string> text_ids, vector_ids;
  for (const auto& m : *by_text) text_ids.push_back(m.chunk.id);
  for (const auto& h : *by_meaning) vector_ids.push_back(h.item_id);
  const auto fused = retrieval::FuseByReciprocalRank({text_ids, vector_ids});

  std::unordered_map<std::string, ChunkMatch> known;
  for (auto& m : *by_text) known.emplace(m.chunk.id, std::move(m));
  std::vector<std::string> unknown;
  for (std::size_t i = 0; i < fused.size() && static_cast<std::int64_t>(i) < n; ++i) {
    if (!known.contains(fused[i].id)) unknown.push_back(fused[i].id);
  }
  if (!unknown.empty()) {
    auto more = repo_.ChunksById(user_id, unknown);
    if (!more) return more.error();
    for (auto& m : *more) known.emplace(m.chunk.id, std::move(m));
  }
  std::vector<ChunkMatch> out;
  for (const auto& f : fused) {
    if (static_cast<std::int64_t>(out.size()) >= n) break;
    auto it = known.find(f.id);
    if (it == known.end()) continue;  // a vector of a chunk that is gone
    it->second.rank = f.score;
    out.push_back(std::move(it->second));
  }
  return out;
}

}  // namespace atrium::core::documents
