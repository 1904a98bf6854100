#include "core/memory/memory_service.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/memory/highlight.hpp"
#include "core/memory/memory_changed.hpp"
#include "core/memory/memory_ranking.hpp"
#include "core/text/stop_words.hpp"

namespace atrium::core::memory {

namespace {

constexpr std::size_t kMaxContent = 4000;
constexpr std::size_t kMaxTags = 20;
constexpr std::size_t kMaxTag = 50;
constexpr std::size_t kMaxSource = 200;
constexpr std::int64_t kMaxRecall = 50;
// Recall ranks the best full-text candidates by the index (or the most recent memories
// without a query), then reorders them by the formula: eight per answer asked for, at
// least 40 (at 100,000 memories each candidate costs about 50 us; bench/README.md).
constexpr std::int64_t Candidates(std::int64_t limit) { return std::max<std::int64_t>(40, 8 * limit); }

Error Invalid(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

std::string Trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

Result<void> CheckImportance(double importance) {
  if (!std::isfinite(importance) || importance < 0 || importance > 1) {
    return Invalid("importance must be a number from 0 to 1");
  }
  return Ok{};
}

Error NotFound() { return Error(ErrorCode::kNotFound, "Memory not found").WithReason(Reason::kMemoryNotFound); }

}  // namespace

Result<std::string> CleanContent(std::string_view content) {
  std::string text = Trim(StripControl(content));
  if (text.empty()) return Invalid("content must not be empty");
  if (text.size() > kMaxContent) return Invalid("content must be at most 4000 bytes");
  return text;
}

Result<std::vector<std::string>> CleanTags(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const auto& raw : tags) {
    std::string tag = Trim(StripControl(raw));
    for (auto& c : tag) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (tag.empty()) return Invalid("tags must not be empty");
    if (tag.size() > kMaxTag) return Invalid("a tag must be at most 50 bytes");
    if (std::find(out.begin(), out.end(), tag) == out.end()) out.push_back(std::move(tag));
  }
  if (out.size() > kMaxTags) return Invalid("at most 20 tags");
  return out;
}

MemoryService::MemoryService(MemoryRepository& repo, events::EventBus& bus, const Clock& clock, Random& random,
                             MemoryObserver* observer)
    : repo_(repo), bus_(bus), clock_(clock), random_(random), observer_(observer) {}

void MemoryService::Announce(const std::string& user_id, const std::string& id, MemoryChange change,
                             MemoryOrigin origin, const std::string& content) {
  // What is stored is the truth; a bus that cannot be reached only delays the refresh.
  (void)bus_.Publish(
      events::Event{{events::topics::User(user_id)}, MemoryChanged{user_id, id, change, origin, content}});
  if (observer_ != nullptr && change != MemoryChange::kDeleted) observer_->MemoryWritten(user_id, id);
}

Result<Memory> MemoryService::Save(const std::string& user_id, NewMemory fields) {
  auto content = CleanContent(fields.content);
  if (!content) return content.error();
  if (auto ok = CheckImportance(fields.importance); !ok) return ok.error();
  auto tags = CleanTags(fields.tags);
  if (!tags) return tags.error();
  if (fields.source) {
    *fields.source = Trim(StripControl(*fields.source));
    if (fields.source->size() > kMaxSource) return Invalid("source must be at most 200 bytes");
    if (fields.source->empty()) fields.source.reset();
  }
  Memory m;
  m.id = NewUuid(random_);
  m.user_id = user_id;
  m.content = std::move(*content);
  m.type = fields.type;
  m.importance = fields.importance;
  m.tags = std::move(*tags);
  m.source = std::move(fields.source);
  m.origin = fields.origin;
  m.created_at = FormatRfc3339(clock_.Now(), 3);
  m.updated_at = m.created_at;
  if (auto stored = repo_.Insert(m); !stored) return stored.error();
  Announce(user_id, m.id, MemoryChange::kCreated, m.origin, m.content);
  return m;
}

Result<Memory> MemoryService::Get(const std::string& user_id, const std::string& id) {
  auto found = repo_.Get(user_id, id);
  if (!found) return found.error();
  if (!*found) return NotFound();
  return std::move(**found);
}

Result<Memory> MemoryService::Update(const std::string& user_id, const std::string& id, MemoryPatch patch,
                                     MemoryOrigin by) {
  if (patch.content) {
    auto content = CleanContent(*patch.content);
    if (!content) return content.error();
    patch.content = std::move(*content);
  }
  if (patch.importance) {
    if (auto ok = CheckImportance(*patch.importance); !ok) return ok.error();
  }
  if (patch.tags) {
    auto tags = CleanTags(*patch.tags);
    if (!tags) return tags.error();
    patch.tags = std::move(*tags);
  }
  auto updated = repo_.Update(user_id, id, patch, FormatRfc3339(clock_.Now(), 3));
  if (!updated) return updated.error();
  if (!*updated) return NotFound();
  Announce(user_id, id, MemoryChange::kUpdated, by, (*updated)->content);
  return std::move(**updated);
}

Result<void> MemoryService::Delete(const std::string& user_id, const std::string& id, MemoryOrigin by) {
  auto removed = repo_.Delete(user_id, id);
  if (!removed) return removed.error();
  if (!*removed) return NotFound();
  Announce(user_id, id, MemoryChange::kDeleted, by, "");
  return Ok{};
}

Result<std::int64_t> MemoryService::Count(const std::string& user_id) { return repo_.Count(user_id); }
Result<std::int64_t> MemoryService::CountAll() { return repo_.CountAll(); }

Result<std::vector<Recalled>> MemoryService::Rank(const std::string& user_id, const RecallQuery& query,
                                                  bool matches_only) {
  if (query.limit < 1 || query.limit > kMaxRecall) return Invalid("limit must be from 1 to 50");
  MemoryFilter filter;
  filter.type = query.type;
  const auto now = clock_.Now();
  // Any word of the query matches, but not "the" or "my": a memory is found by what the
  // query is about (core/text/stop_words.hpp).
  const std::string terms = text::ContentWords(query.query);
  const std::size_t words = QueryWordCount(terms);
  std::vector<Recalled> ranked;
  if (words > 0) {
    auto page = repo_.Match(user_id, terms, MatchMode::kAnyWord, filter, Candidates(query.limit), 0, MatchTotal::kSkip);
    if (!page) return page.error();
    double best = 0;
    for (const auto& m : page->items) best = std::max(best, m.rank);
    for (auto& m : page->items) {
      RankingInput in;
      in.has_query = true;
      in.coverage = static_cast<double>(MarkedTermCount(m.highlighted)) / static_cast<double>(words);
      in.rank = m.rank;
      in.best_rank = best;
      in.importance = m.memory.importance;
      in.days_idle = DaysSince(m.memory.last_accessed.value_or(m.memory.created_at), now);
      in.access_count = m.memory.access_count;
      ranked.push_back({std::move(m.memory), Relevance(in)});
    }
  } else if (!matches_only) {
    auto recent = repo_.Recent(user_id, filter, Candidates(query.limit));
    if (!recent) return recent.error();
    for (auto& m : *recent) {
      RankingInput in;
      in.importance = m.importance;
      in.days_idle = DaysSince(m.last_accessed.value_or(m.created_at), now);
      in.access_count = m.access_count;
      ranked.push_back({std::move(m), Relevance(in)});
    }
  }
  // Best first; ties: the newer memory first (ids break exact ties, so the order is total).
  std::stable_sort(ranked.begin(), ranked.end(), [](const Recalled& a, const Recalled& b) {
    if (a.relevance != b.relevance) return a.relevance > b.relevance;
    if (a.memory.created_at != b.memory.created_at) return a.memory.created_at > b.memory.created_at;
    return a.memory.id < b.memory.id;
  });
  if (ranked.size() > static_cast<std::size_t>(query.limit)) ranked.resize(static_cast<std::size_t>(query.limit));
  return ranked;
}

Result<std::vector<Recalled>> MemoryService::Recall(const std::string& user_id, const RecallQuery& query) {
  auto ranked = Rank(user_id, query, false);
  if (!ranked) return ranked.error();
  if (ranked->empty()) return ranked;
  std::vector<std::string> ids;
  for (const auto& r : *ranked) ids.push_back(r.memory.id);
  const std::string now = FormatRfc3339(clock_.Now(), 3);
  if (auto recorded = repo_.RecordAccess(user_id, ids, now); !recorded) return recorded.error();
  for (auto& r : *ranked) {
    ++r.memory.access_count;
    r.memory.last_accessed = now;
  }
  return ranked;
}

Result<std::vector<Recalled>> MemoryService::Relevant(const std::string& user_id, const std::string& text,
                                                      std::int64_t limit) {
  RecallQuery query;
  query.query = text;
  query.limit = std::clamp<std::int64_t>(limit, 1, kMaxRecall);
  return Rank(user_id, query, true);
}

Result<SearchPage> MemoryService::Search(const std::string& user_id, const SearchQuery& query) {
  if (query.page < 1) return Invalid("page must be 1 or more");
  if (query.limit < 1 || query.limit > 100) return Invalid("limit must be from 1 to 100");
  auto tags = CleanTags(query.tags);
  if (!tags) return tags.error();
  MemoryFilter filter{query.type, std::move(*tags)};
  SearchPage out;
  if (QueryWordCount(query.q) == 0) return out;
  auto page = repo_.Match(user_id, query.q, MatchMode::kAllWords, filter, query.limit, (query.page - 1) * query.limit,
                          MatchTotal::kCount);
  if (!page) return page.error();
  out.total = page->total;
  // The same shape as recall's similarity: how much of the query the content holds,
  // and the index's rank relative to the best match of the whole result.
  double best = 0;
  if (query.page == 1) {
    for (const auto& m : page->items) best = std::max(best, m.rank);
  } else if (!page->items.empty()) {
    auto top = repo_.Match(user_id, query.q, MatchMode::kAllWords, filter, 1, 0, MatchTotal::kSkip);
    if (!top) return top.error();
    for (const auto& m : top->items) best = std::max(best, m.rank);
  }
  const double words = static_cast<double>(QueryWordCount(query.q));
  for (auto& m : page->items) {
    const double coverage = std::min(1.0, static_cast<double>(MarkedTermCount(m.highlighted)) / words);
    const double relative = best > 0 ? std::clamp(m.rank / best, 0.0, 1.0) : 0.0;
    const double score = std::round((0.7 * coverage + 0.3 * relative) * 10000.0) / 10000.0;
    out.items.push_back({std::move(m.memory), score, MarkedToHtml(m.highlighted)});
  }
  return out;
}

}  // namespace atrium::core::memory
