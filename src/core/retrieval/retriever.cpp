#include "core/retrieval/retriever.hpp"

#include <chrono>
#include <unordered_map>

#include "core/documents/document_search.hpp"
#include "core/memory/memory_service.hpp"
#include "core/retrieval/embedder.hpp"
#include "core/retrieval/rank_fusion.hpp"
#include "core/retrieval/semantic_index.hpp"

namespace atrium::core::retrieval {

std::string ContextPrompt(const std::vector<std::pair<std::string, std::string>>& items) {
  if (items.empty()) return "";
  std::string prompt =
      "What you know about the user and their documents, each line with its id in brackets. Use what helps "
      "answer the next message; do not mention ids unless asked.\n";
  for (const auto& [id, text] : items) {
    prompt += "[" + id + "] ";
    for (const char c : text) prompt += (c == '\n' || c == '\r') ? ' ' : c;
    prompt += '\n';
  }
  return prompt;
}

Result<Retrieval> Retriever::ForMessage(const std::string& user_id, const std::string& message,
                                        const RetrievalLimits& limits) const {
  Retrieval out;
  std::vector<std::pair<std::string, std::string>> items;
  // The message's meaning, when there is a model for it; without one (or when the
  // upstream fails) full text alone answers.
  std::vector<float> query;
  if (embedder_ != nullptr && vectors_ != nullptr && embedder_->configured()) {
    auto embedded = embedder_->Embed({message}, user_id);
    if (embedded && !embedded->empty()) query = std::move((*embedded)[0]);
  }
  if (limits.memories > 0) {
    auto found = memories_.Relevant(user_id, message, 2 * limits.memories);
    if (!found) return found.error();
    std::vector<std::string> by_text;
    std::unordered_map<std::string, std::string> texts;
    for (const auto& r : *found) {
      by_text.push_back(r.memory.id);
      texts.emplace(r.memory.id, r.memory.content);
    }
    std::vector<std::string> by_meaning;
    if (!query.empty()) {
      auto hits = vectors_->Search(user_id, ItemKind::kMemory, query, static_cast<std::size_t>(2 * limits.memories));
      if (hits) {
        for (const auto& h : *hits) by_meaning.push_back(h.item_id);
      }
    }
    for (const auto& f : FuseByReciprocalRank({by_text, by_meaning})) {
      if (static_cast<std::int64_t>(out.ids.size()) >= limits.memories) break;
      auto text = texts.find(f.id);
      if (text == texts.end()) {
        auto memory = memories_.Get(user_id, f.id);
        if (!memory) continue;  // deleted since its vector was read
        text = texts.emplace(f.id, memory->content).first;
      }
      out.ids.push_back(f.id);
      items.emplace_back(f.id, text->second);
    }
  }
  if (limits.chunks > 0) {
    auto chunks = documents_.Search(user_id, message, limits.chunks, query.empty() ? nullptr : &query);
    if (!chunks) return chunks.error();
    for (const auto& c : *chunks) {
      std::string where = "From \"" + c.document_name + "\"";
      if (c.chunk.page > 0) where += ", page " + std::to_string(c.chunk.page);
      if (!c.chunk.section.empty()) where += ", section \"" + c.chunk.section + "\"";
      out.ids.push_back(c.chunk.id);
      items.emplace_back(c.chunk.id, where + ": " + c.chunk.content);
    }
  }
  out.prompt = ContextPrompt(items);
  return out;
}

VectorHealth Retriever::Health() const {
  VectorHealth h;
  h.configured = embedder_ != nullptr && vectors_ != nullptr && embedder_->configured();
  if (!h.configured) return h;
  h.model = embedder_->model();
  const auto started = std::chrono::steady_clock::now();
  auto count = vectors_->CountAll();
  h.latency_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  h.reachable = count.ok();
  if (count) h.vectors = *count;
  return h;
}

}  // namespace atrium::core::retrieval
