#include "core/logs/client_log_service.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace atrium::core::logs {

std::optional<std::string> NormalizeLevel(std::string_view level) {
  std::string up(level);
  std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return std::toupper(c); });
  if (up == "WARN") up = "WARNING";
  static constexpr std::array<std::string_view, 5> kLevels = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"};
  if (std::find(kLevels.begin(), kLevels.end(), up) == kLevels.end()) return std::nullopt;
  return up;
}

ClientLogService::ClientLogService(const persistence::Repositories& repos, const Clock& clock, Random& random,
                                   std::int64_t max_entries, events::EventBus* events)
    : transactions_(repos.transactions),
      logs_(repos.client_logs), clock_(clock), random_(random), max_entries_(max_entries), events_(events) {}

std::string ClientLogService::Topic() { return events::topics::Broadcast("client_logs"); }

Result<void> ClientLogService::Append(ClientLogEntry entry) {
  std::vector<ClientLogEntry> one;
  one.push_back(std::move(entry));
  auto stored = AppendBatch(std::move(one));
  if (!stored) return stored.error();
  return Ok{};
}

Result<std::int64_t> ClientLogService::AppendBatch(std::vector<ClientLogEntry> entries) {
  const std::string now = FormatRfc3339(clock_.Now());
  for (auto& entry : entries) {
    auto level = NormalizeLevel(entry.level);
    if (!level) return Error(ErrorCode::kInvalidArgument, "level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL");
    if (entry.message.empty()) return Error(ErrorCode::kInvalidArgument, "message is required");
    entry.level = *level;
    if (entry.id.empty()) entry.id = NewUuid(random_);
    if (entry.timestamp.empty()) entry.timestamp = now;
  }

  std::vector<const ClientLogEntry*> fresh;  // the entries this batch added
  auto stored = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& uow) -> Result<void> {
    fresh.clear();
    for (const auto& entry : entries) {
      auto inserted = logs_.InsertNew(uow, entry, now);
      if (!inserted) return inserted.error();
      if (*inserted) fresh.push_back(&entry);
    }
    return logs_.KeepNewest(uow, max_entries_);
  });
  if (!stored) return stored.error();
  if (events_ != nullptr) {
    for (const auto* entry : fresh) {
      // The entry is stored; a failed broadcast only means a console misses it live.
      (void)events_->Publish({{Topic()},
                              ClientLogReceived{entry->id, entry->timestamp, entry->level, entry->label, entry->message,
                                                entry->client_id, entry->client_name}});
    }
  }
  return static_cast<std::int64_t>(fresh.size());
}

Result<ClientLogPage> ClientLogService::List(const ClientLogQuery& query) {
  ClientLogQuery normalized = query;
  if (query.level) {
    auto level = NormalizeLevel(*query.level);
    if (!level) return Error(ErrorCode::kInvalidArgument, "level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL");
    normalized.level = *level;
  }
  if (query.limit < 0 || query.limit > kMaxLimit) {
    return Error(ErrorCode::kInvalidArgument, "limit must be between 0 and " + std::to_string(kMaxLimit));
  }
  return logs_.List(normalized);
}

Result<std::int64_t> ClientLogService::Count() { return logs_.Count(); }

Result<std::int64_t> ClientLogService::Clear() {
  std::int64_t cleared = 0;
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& uow) -> Result<void> {
    auto n = logs_.Clear(uow);
    if (!n) return n.error();
    cleared = *n;
    return Ok{};
  });
  if (!done) return done.error();
  return cleared;
}

}  // namespace atrium::core::logs
