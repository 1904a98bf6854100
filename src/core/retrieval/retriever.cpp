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

std::vector<float> Retriever::Embedded(const std::string& user_id, const std::string& text) const {
  // Without a model for meaning (or when the upstream fails) full text alone answers.
  if (embedder_ == nullptr || vectors_ == nullptr || !embedder_->configured()) return {};
  auto embedded = embedder_->Embed({text}, user_id);
  if (!embedded || embedded->empty()) return {};
  return std::move((*embedded)[0]);
}

Result<std::vector<memory::Memory>> Retriever::Memories(const std::string& user_id, const std::string& text,
                                                        const std::vector<float>& query, std::int64_t limit) const {
  std::vector<memory::Memory> out;
  if (limit <= 0) return out;
  auto found = memories_.Relevant(user_id, text, 2 * limit);
  if (!found) return found.error();
  std::vector<std::string> by_text;
  std::unordered_map<std::string, memory::Memory> known;
  for (auto& r : *found) {
    by_text.push_back(r.memory.id);
    known.emplace(r.memory.id, std::move(r.memory));
  }
  std::vector<std::string> by_meaning;
  if (!query.empty()) {
    auto hits = vectors_->Search(user_id, ItemKind::kMemory, query, static_cast<std::size_t>(2 * limit));
    if (hits) {
      for (const auto& h : *hits) by_meaning.push_back(h.item_id);
    }
  }
  for (const auto& f : FuseByReciprocalRank({by_text, by_meaning})) {
    if (static_cast<std::int64_t>(out.size()) >= limit) break;
    auto memory = known.find(f.id);
    if (memory != known.end()) {
      out.push_back(std::move(memory->second));
      continue;
    }
    auto stored = memories_.Get(user_id, f.id);
    if (stored) out.push_back(std::move(*stored));  // else deleted since its vector was read
  }
  return out;
}

Result<std::vector<memory::Memory>> Retriever::Similar(const std::string& user_id, const std::string& text,
                                                       std::int64_t limit) const {
  return Memories(user_id, text, Embedded(user_id, text), limit);
}

Result<Retrieval> Retriever::ForMessage(const std::string& user_id, const std::string& message,
                                        const RetrievalLimits& limits) const {
  Retrieval out;
  std::vector<std::pair<std::string, std::string>> items;
  const std::vector<float> query = Embedded(user_id, message);
  auto memories = Memories(user_id, message, query, limits.memories);
  if (!memories) return memories.error();
  for (const auto& m : *memories) {
    out.ids.push_back(m.id);
    items.emplace_back(m.id, m.content);
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
