#include "core/memory/memory_consolidation.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/llm/json_reply.hpp"
#include "core/memory/memory_service.hpp"

namespace atrium::core::memory {

namespace {

namespace json = boost::json;

// "most similar" is what test upstreams key on (tests/upstream/README.md, reply rules).
constexpr std::string_view kDecisionPrompt =
    "You keep a personal assistant's long-term memory of a user consistent. You are given a new fact about the "
    "user and the stored memories most similar to it, each with an id. Decide what to do with the new fact. "
    "ADD: it is new information. UPDATE: it corrects, contradicts or refines a stored memory; give that memory's "
    "id and its new text, which replaces the old one. DELETE: it says a stored memory is no longer true and "
    "nothing replaces it; give that memory's id. NONE: a stored memory already says the same. "
    "Answer with JSON only: {\"event\": \"ADD\", \"id\": \"\", \"text\": \"\"} with event one of ADD, UPDATE, "
    "DELETE or NONE, id the stored memory's id for UPDATE and DELETE, and text the new text for UPDATE.";

std::string Upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::optional<std::size_t> Index(const json::value* id) {
  if (id == nullptr) return std::nullopt;
  if (id->is_int64() && id->as_int64() >= 0) return static_cast<std::size_t>(id->as_int64());
  if (id->is_uint64()) return static_cast<std::size_t>(id->as_uint64());
  if (!id->is_string()) return std::nullopt;
  const std::string_view s = id->as_string();
  if (s.empty() || s.size() > 6) return std::nullopt;
  std::size_t n = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

}  // namespace

llm::GenerationRequest DecisionRequest(const ExtractedFact& fact, const std::vector<Memory>& similar,
                                       const std::string& model) {
  json::array shown;
  for (std::size_t i = 0; i < similar.size(); ++i) {
    shown.push_back(json::object{{"id", std::to_string(i)}, {"text", similar[i].content}});
  }
  llm::GenerationRequest r;
  r.model = model;
  r.system_prompt = std::string(kDecisionPrompt);
  r.messages = {
      {"user", json::serialize(json::object{{"new_fact", fact.text}, {"stored_memories", std::move(shown)}})}};
  r.sampling.temperature = 0;
  r.sampling.max_tokens = 300;
  return r;
}

std::optional<ConsolidationDecision> ParseDecision(std::string_view reply) {
  const auto value = llm::FirstJsonValue(reply);
  if (!value) return std::nullopt;
  const json::object* o = value->if_object();
  if (o != nullptr) {
    if (const auto* list = o->if_contains("memory"); list != nullptr && list->is_array()) {
      const auto& a = list->as_array();
      o = !a.empty() ? a.front().if_object() : nullptr;
    }
  }
  if (o == nullptr) return std::nullopt;
  const auto* event = o->if_contains("event");
  if (event == nullptr || !event->is_string()) return std::nullopt;
  const std::string name = Upper(event->as_string());
  ConsolidationDecision d;
  if (name == "ADD") {
    d.event = ConsolidationEvent::kAdd;
  } else if (name == "UPDATE") {
    d.event = ConsolidationEvent::kUpdate;
  } else if (name == "DELETE") {
    d.event = ConsolidationEvent::kDelete;
  } else if (name == "NONE") {
    d.event = ConsolidationEvent::kNone;
  } else {
    return std::nullopt;
  }
  d.index = Index(o->if_contains("id"));
  if (const auto* text = o->if_contains("text"); text != nullptr && text->is_string()) {
    d.text = std::string(text->as_string());
  }
  return d;
}

Result<ConsolidationOutcome> Consolidator::Consolidate(const std::string& user_id, const ExtractedFact& fact,
                                                       const std::string& source, const std::string& model) {
  auto found = Similar(user_id, fact.text);
  if (!found) return found.error();
  const std::string key = NormaliseFact(fact.text);
  std::vector<Memory> similar;
  for (auto& m : *found) {
    if (NormaliseFact(m.content) == key) return ConsolidationOutcome{Consolidated::kKept, m.id};
    similar.push_back(std::move(m));
  }
  if (similar.empty()) return Add(user_id, fact, source);
  auto answer = generator_.Generate(DecisionRequest(fact, similar, model));
  if (!answer) return answer.error();
  const auto decision = ParseDecision(answer->content);
  if (!decision) return Add(user_id, fact, source);
  const Memory* target = decision->index && *decision->index < similar.size() ? &similar[*decision->index] : nullptr;
  switch (decision->event) {
    case ConsolidationEvent::kAdd:
      return Add(user_id, fact, source);
    case ConsolidationEvent::kNone:
      return ConsolidationOutcome{Consolidated::kKept, target != nullptr ? target->id : ""};
    case ConsolidationEvent::kUpdate:
      if (target == nullptr) return Add(user_id, fact, source);
      return Update(user_id, fact, *target, decision->text, source);
    case ConsolidationEvent::kDelete: {
      if (target == nullptr) return ConsolidationOutcome{};
      if (target->origin != MemoryOrigin::kAuto) return ConsolidationOutcome{Consolidated::kKept, target->id};
      auto removed = memories_.Delete(user_id, target->id, MemoryOrigin::kAuto);
      // Already gone (deleted meanwhile, or by an earlier attempt): the outcome stands.
      if (!removed && removed.error().code() != ErrorCode::kNotFound) return removed.error();
      return ConsolidationOutcome{Consolidated::kDeleted, target->id};
    }
  }
  return ConsolidationOutcome{};
}

Result<std::vector<Memory>> Consolidator::Similar(const std::string& user_id, const std::string& text) {
  if (similar_ != nullptr) return similar_->Similar(user_id, text, kSimilarMemories);
  auto relevant = memories_.Relevant(user_id, text, kSimilarMemories);
  if (!relevant) return relevant.error();
  std::vector<Memory> out;
  out.reserve(relevant->size());
  for (auto& r : *relevant) out.push_back(std::move(r.memory));
  return out;
}

Result<ConsolidationOutcome> Consolidator::Add(const std::string& user_id, const ExtractedFact& fact,
                                               const std::string& source) {
  NewMemory m;
  m.content = fact.text;
  m.type = fact.type;
  m.importance = fact.importance;
  m.source = source;
  m.origin = MemoryOrigin::kAuto;
  auto saved = memories_.Save(user_id, std::move(m));
  if (!saved) return saved.error();
  return ConsolidationOutcome{Consolidated::kAdded, saved->id};
}

Result<ConsolidationOutcome> Consolidator::Update(const std::string& user_id, const ExtractedFact& fact,
                                                  const Memory& shown, const std::string& text,
                                                  const std::string& source) {
  std::string content = fact.text;
  if (auto cleaned = CleanContent(text); cleaned && cleaned->size() <= kMaxFactBytes) content = std::move(*cleaned);
  if (NormaliseFact(content) == NormaliseFact(shown.content))
    return ConsolidationOutcome{Consolidated::kKept, shown.id};
  auto current = memories_.Get(user_id, shown.id);
  if (!current) {
    // Deleted since it was shown: the fact stands on its own.
    if (current.error().code() == ErrorCode::kNotFound) return Add(user_id, fact, source);
    return current.error();
  }
  if (current->content != shown.content) return ConsolidationOutcome{Consolidated::kKept, shown.id};
  MemoryPatch patch;
  patch.content = std::move(content);
  patch.importance = std::max(shown.importance, fact.importance);
  auto updated = memories_.Update(user_id, shown.id, std::move(patch), MemoryOrigin::kAuto);
  if (!updated) return updated.error();
  return ConsolidationOutcome{Consolidated::kUpdated, shown.id};
}

}  // namespace atrium::core::memory
