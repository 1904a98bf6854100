#include "core/arena/arena_service.hpp"

#include <algorithm>

namespace atrium::core::arena {

namespace {

Error NotFound() { return Error(ErrorCode::kNotFound, "Session not found").WithReason(Reason::kSessionNotFound); }

}  // namespace

ArenaService::ArenaService(const persistence::Repositories& repos, assistants::AssistantConfigService& configs,
                           const Clock& clock, Random& random)
    : transactions_(repos.transactions),
      arena_(repos.arena), configs_(configs), clock_(clock), random_(random) {}

Result<ArenaSession> ArenaService::Create(const std::string& user_id, const std::vector<std::string>& config_ids,
                                          const std::string& title) {
  std::vector<std::string> ids;
  for (const auto& id : config_ids) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  if (ids.size() < kMinConfigs || ids.size() > kMaxConfigs) {
    return Error(ErrorCode::kInvalidArgument, "An arena session needs 2 to 4 different configs")
        .WithReason(Reason::kArenaConfigCount);
  }
  if (assistants::CharCount(title) > kMaxTitleChars) {
    return Error(ErrorCode::kInvalidArgument, "title must be at most 200 characters");
  }
  std::string default_title = "Arena:";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto config = configs_.Get(user_id, ids[i]);
    if (!config) return config.error();
    default_title += (i == 0 ? " " : " vs ") + config->name;
  }
  ArenaSession s;
  s.id = NewUuid(random_);
  s.user_id = user_id;
  s.config_ids = std::move(ids);
  s.title = title.find_first_not_of(" \t\r\n") == std::string::npos ? default_title : title;
  s.title = assistants::CutChars(s.title, kMaxTitleChars);
  s.created_at = s.updated_at = FormatRfc3339(clock_.Now());
  auto stored = arena_.InsertSession(s);
  if (!stored) return stored.error();
  return s;
}

Result<SessionPage> ArenaService::List(const std::string& user_id, std::int64_t limit, std::int64_t offset) {
  return arena_.ListSessions(user_id, limit, offset);
}

Result<ArenaSession> ArenaService::Get(const std::string& user_id, const std::string& id) {
  auto found = arena_.FindSession(user_id, id);
  if (!found) return found.error();
  if (!*found) return NotFound();
  return std::move(**found);
}

Result<SessionDetail> ArenaService::Detail(const std::string& user_id, const std::string& id) {
  auto session = Get(user_id, id);
  if (!session) return session.error();
  auto messages = arena_.Messages(id);
  if (!messages) return messages.error();
  SessionDetail detail{std::move(*session), std::move(*messages), {}};
  for (const auto& config_id : detail.session.config_ids) {
    // A config deleted (or made private by its owner) since stays in the session's list
    // and its messages, but is no longer shown.
    if (auto config = configs_.Get(user_id, config_id)) detail.configs.push_back(std::move(*config));
  }
  return detail;
}

Result<void> ArenaService::Delete(const std::string& user_id, const std::string& id) {
  auto removed = arena_.DeleteSession(user_id, id);
  if (!removed) return removed.error();
  if (!*removed) return NotFound();
  return Ok{};
}

Result<ArenaMessage> ArenaService::Append(const std::string& user_id, ArenaMessage message) {
  if (message.id.empty()) message.id = NewUuid(random_);
  message.created_at = FormatRfc3339(clock_.Now());
  if (message.metadata_json.empty()) message.metadata_json = "{}";
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& uow) -> Result<void> {
    auto stored = arena_.AppendMessage(uow, user_id, message);
    if (!stored) return stored.error();
    if (!*stored) return NotFound();
    return Ok{};
  });
  if (!done) return done.error();
  return message;
}

}  // namespace atrium::core::arena
