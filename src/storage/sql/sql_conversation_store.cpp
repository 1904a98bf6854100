#include "storage/sql/sql_conversation_store.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "storage/sql/conversation_rows.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Ok;
using core::Result;
using core::chat::Conversation;
using core::chat::ConversationSort;
using core::chat::GenerationMetadata;
using core::chat::ListOptions;
using core::chat::Message;
using core::chat::MessageEdit;
using core::chat::MessageStatus;

constexpr const char* kConversationColumns =
    "id, user_id, title, config_id, folder_id, tags, pinned, archived, summary, system_prompt, model,"
    " message_count, last_message_at, prompt_tokens, completion_tokens, total_tokens, cost_usd, created_at, updated_at";

Error NotFound() { return Error(ErrorCode::kNotFound, "Conversation not found").WithReason(core::Reason::kConversationNotFound); }
Error MessageNotFound() { return Error(ErrorCode::kNotFound, "Message not found").WithReason(core::Reason::kMessageNotFound); }

std::string TagsJson(const std::vector<std::string>& tags) {
  json::array a;
  for (const auto& t : tags) a.emplace_back(t);
  return json::serialize(a);
}

std::vector<std::string> TagsFrom(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& t : v.as_array()) {
    if (t.is_string()) out.emplace_back(t.as_string());
  }
  return out;
}

Conversation ConversationFrom(const std::vector<Value>& r) {
  Conversation c;
  c.id = Text(r[0]);
  c.user_id = Text(r[1]);
  c.title = Text(r[2]);
  c.config_id = AsText(r[3]);
  c.folder_id = AsText(r[4]);
  c.tags = TagsFrom(Text(r[5]));
  c.pinned = Int(r[6]) != 0;
  c.archived = Int(r[7]) != 0;
  c.summary = AsText(r[8]);
  c.system_prompt = Text(r[9]);
  c.model = Text(r[10]);
  c.message_count = Int(r[11]);
  c.last_message_at = AsText(r[12]);
  c.stats.prompt_tokens = Int(r[13]);
  c.stats.completion_tokens = Int(r[14]);
  c.stats.total_tokens = Int(r[15]);
  c.stats.cost_usd = AsDouble(r[16]).value_or(0);
  c.created_at = Text(r[17]);
  c.updated_at = Text(r[18]);
  return c;
}

Result<void> InsertMessage(Executor& tx, const std::string& user_id, const Message& m) {
  const auto* g = m.generation ? &*m.generation : nullptr;
  auto ins = tx.Execute(
      "INSERT INTO messages (id, conversation_id, user_id, role, content, status, model, prompt_tokens,"
      " completion_tokens, total_tokens, tokens_estimated, generation_ms, first_token_ms, cost_usd, finish_reason,"
      " edit_history, created_at, updated_at, annotations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?,"
      " ?)",
      Params{m.id, m.conversation_id, user_id, m.role, m.content, std::string(core::chat::StatusName(m.status)),
             g ? Value{g->model} : Value{Null{}}, g ? Value{g->prompt_tokens} : Value{Null{}},
             g ? Value{g->completion_tokens} : Value{Null{}}, g ? Value{g->total_tokens} : Value{Null{}},
             Bool(g && g->tokens_estimated), g ? Value{g->generation_ms} : Value{Null{}},
             g ? Value{g->first_token_ms} : Value{Null{}}, g && g->cost_usd ? Value{*g->cost_usd} : Value{Null{}},
             g ? Value{g->finish_reason} : Value{Null{}}, m.created_at, m.updated_at, AnnotationsText(m.annotations)});
  if (!ins) return ins.error();
  return Ok{};
}

const char* SortKey(ConversationSort sort) {
  switch (sort) {
    case ConversationSort::kLastMessageAt:
      return "COALESCE(last_message_at, created_at)";
    case ConversationSort::kCreatedAt:
      return "created_at";
    case ConversationSort::kUpdatedAt:
      return "updated_at";
    case ConversationSort::kTitle:
      return "lower(title)";
    case ConversationSort::kMessageCount:
      return "message_count";
  }
  return "updated_at";
}

// The WHERE clause (and its parameters) of a conversation list.
struct ListFilter {
  std::string where;
  Params params;
  bool matches_none = false;  // a title search without words
};

ListFilter FilterFor(const ConversationTextSearch& search, const std::string& user_id, const ListOptions& options) {
  ListFilter f{" WHERE user_id = ?", Params{user_id}};
  if (options.archived) {
    f.where += " AND archived = ?";
    f.params.emplace_back(std::int64_t{*options.archived ? 1 : 0});
  }
  if (options.pinned) {
    f.where += " AND pinned = ?";
    f.params.emplace_back(std::int64_t{*options.pinned ? 1 : 0});
  }
  if (options.folder_id) {
    f.where += " AND folder_id = ?";
    f.params.emplace_back(*options.folder_id);
  }
  if (!options.title_search.empty()) {
    auto condition = search.TitleCondition(options.title_search, f.params);
    if (!condition) {
      f.matches_none = true;
    } else {
      f.where += " AND " + *condition;
    }
  }
  return f;
}

// Inside a transaction: the message's content becomes `content` and the old one is
// added to its edit history. `conversation_id` set: the message must be in it.
Result<void> EditIn(Executor& tx, const std::string& user_id, const std::optional<std::string>& conversation_id,
                    const std::string& message_id, const std::string& content, const std::string& now) {
  auto old =
      conversation_id
          ? tx.Query("SELECT content, edit_history FROM messages WHERE id = ? AND conversation_id = ? AND user_id = ?",
                     Params{message_id, *conversation_id, user_id})
          : tx.Query("SELECT content, edit_history FROM messages WHERE id = ? AND user_id = ?",
                     Params{message_id, user_id});
  if (!old) return old.error();
  if (old->empty()) return MessageNotFound();
  boost::system::error_code ec;
  auto history = json::parse(Text(old->rows[0][1]), ec);
  if (ec || !history.is_array()) history = json::array();
  history.as_array().push_back(json::object{{"content", Text(old->rows[0][0])}, {"edited_at", now}});
  auto upd = tx.Execute("UPDATE messages SET content = ?, edit_history = ?, updated_at = ? WHERE id = ?",
                        Params{content, json::serialize(history), now, message_id});
  if (!upd) return upd.error();
  return Ok{};
}

}  // namespace

SqlConversationStore::SqlConversationStore(Database& db, ConversationTextSearch& search, const core::Clock& clock,
                                           core::Random& random)
    : ConversationStore(clock, random), db_(db), search_(search) {}

Result<Conversation> SqlConversationStore::Create(const std::string& user_id,
                                                  const core::chat::NewConversation& fields) {
  const std::string id = NewId();
  const std::string now = Now();
  auto ins = db_.Execute(
      "INSERT INTO conversations (id, user_id, title, config_id, folder_id, tags, system_prompt, model, created_at,"
      " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      Params{id, user_id, fields.title, Opt(fields.config_id), Opt(fields.folder_id), TagsJson(fields.tags),
             fields.system_prompt, fields.model, now, now});
  if (!ins) return ins.error();
  return Get(user_id, id);
}

Result<Conversation> SqlConversationStore::Get(const std::string& user_id, const std::string& conversation_id) {
  auto rows =
      db_.Query(std::string("SELECT ") + kConversationColumns + " FROM conversations WHERE id = ? AND user_id = ?",
                Params{conversation_id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return NotFound();
  return ConversationFrom(rows->rows[0]);
}

Result<std::vector<Conversation>> SqlConversationStore::List(const std::string& user_id, const ListOptions& options) {
  const ListFilter f = FilterFor(search_, user_id, options);
  if (f.matches_none) return std::vector<Conversation>{};
  const char* dir = options.ascending ? " ASC" : " DESC";
  Params params = f.params;
  params.emplace_back(std::clamp<std::int64_t>(options.limit, 1, 1000));
  params.emplace_back(std::max<std::int64_t>(options.offset, 0));
  auto rows =
      db_.Query(std::string("SELECT ") + kConversationColumns + " FROM conversations" + f.where +
                    " ORDER BY pinned DESC, " + SortKey(options.sort) + dir + ", rid" + dir + " LIMIT ? OFFSET ?",
                params);
  if (!rows) return rows.error();
  std::vector<Conversation> out;
  for (const auto& r : rows->rows) out.push_back(ConversationFrom(r));
  return out;
}

Result<core::chat::Page<Conversation>> SqlConversationStore::ListPage(const std::string& user_id,
                                                                      const ListOptions& options) {
  const ListFilter f = FilterFor(search_, user_id, options);
  if (f.matches_none) return core::chat::Page<Conversation>{};
  auto counted = db_.Query("SELECT COUNT(*) FROM conversations" + f.where, f.params);
  if (!counted) return counted.error();
  auto items = List(user_id, options);
  if (!items) return items.error();
  return core::chat::Page<Conversation>{std::move(*items), Int(counted->rows[0][0])};
}

Result<std::int64_t> SqlConversationStore::Count(const std::string& user_id) {
  auto rows = db_.Query("SELECT COUNT(*) FROM conversations WHERE user_id = ?", Params{user_id});
  if (!rows) return rows.error();
  return Int(rows->rows[0][0]);
}

Result<Conversation> SqlConversationStore::Update(const std::string& user_id, const std::string& conversation_id,
                                                  const core::chat::ConversationPatch& patch) {
  std::string sets;
  Params params;
  auto set = [&](const char* column, Value v) {
    sets += sets.empty() ? "" : ", ";
    sets += column;
    sets += " = ?";
    params.push_back(std::move(v));
  };
  if (patch.title) set("title", *patch.title);
  if (patch.config_id) set("config_id", Opt(*patch.config_id));
  if (patch.folder_id) set("folder_id", Opt(*patch.folder_id));
  if (patch.tags) set("tags", TagsJson(*patch.tags));
  if (patch.pinned) set("pinned", Bool(*patch.pinned));
  if (patch.archived) set("archived", Bool(*patch.archived));
  if (patch.summary) set("summary", Opt(*patch.summary));
  if (patch.system_prompt) set("system_prompt", *patch.system_prompt);
  if (patch.model) set("model", *patch.model);
  set("updated_at", Now());
  params.emplace_back(conversation_id);
  params.emplace_back(user_id);
  auto changed = db_.Execute("UPDATE conversations SET " + sets + " WHERE id = ? AND user_id = ?", params);
  if (!changed) return changed.error();
  if (*changed == 0) return NotFound();
  return Get(user_id, conversation_id);
}

Result<void> SqlConversationStore::Delete(const std::string& user_id, const std::string& conversation_id) {
  auto changed =
      db_.Execute("DELETE FROM conversations WHERE id = ? AND user_id = ?", Params{conversation_id, user_id});
  if (!changed) return changed.error();
  if (*changed == 0) return NotFound();
  return Ok{};
}

Result<std::vector<Message>> SqlConversationStore::Messages(const std::string& user_id,
                                                            const std::string& conversation_id) {
  auto owner = Get(user_id, conversation_id);
  if (!owner) return owner.error();
  auto rows = db_.Query(std::string("SELECT ") + kMessageColumns +
                            " FROM messages WHERE conversation_id = ? AND user_id = ? ORDER BY seq",
                        Params{conversation_id, user_id});
  if (!rows) return rows.error();
  std::vector<Message> out;
  for (const auto& r : rows->rows) out.push_back(MessageFrom(r));
  return out;
}

Result<core::chat::Page<Message>> SqlConversationStore::MessagesPage(const std::string& user_id,
                                                                     const std::string& conversation_id,
                                                                     std::int64_t limit, std::int64_t offset) {
  auto owner = Get(user_id, conversation_id);
  if (!owner) return owner.error();
  auto counted = db_.Query("SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND user_id = ?",
                           Params{conversation_id, user_id});
  if (!counted) return counted.error();
  auto rows = db_.Query(
      std::string("SELECT ") + kMessageColumns +
          " FROM messages WHERE conversation_id = ? AND user_id = ? ORDER BY seq LIMIT ? OFFSET ?",
      Params{conversation_id, user_id, std::clamp<std::int64_t>(limit, 1, 1000), std::max<std::int64_t>(offset, 0)});
  if (!rows) return rows.error();
  core::chat::Page<Message> out;
  out.total = Int(counted->rows[0][0]);
  for (const auto& r : rows->rows) out.items.push_back(MessageFrom(r));
  return out;
}

Result<Message> SqlConversationStore::EditMessage(const std::string& user_id, const std::string& message_id,
                                                  const std::string& content) {
  const std::string now = Now();
  auto edited = db_.Transact([&](Executor& tx) -> Result<void> {
    if (auto e = EditIn(tx, user_id, std::nullopt, message_id, content, now); !e) return e;
    auto conv = tx.Execute(
        "UPDATE conversations SET updated_at = ? WHERE id = (SELECT conversation_id FROM messages WHERE id = ?)",
        Params{now, message_id});
    if (!conv) return conv.error();
    return Ok{};
  });
  if (!edited) return edited.error();
  return GetMessage(user_id, message_id);
}

Result<void> SqlConversationStore::DeleteMessage(const std::string& user_id, const std::string& message_id) {
  const std::string now = Now();
  return db_.Transact([&](Executor& tx) -> Result<void> {
    auto found =
        tx.Query("SELECT conversation_id FROM messages WHERE id = ? AND user_id = ?", Params{message_id, user_id});
    if (!found) return found.error();
    if (found->empty()) return MessageNotFound();
    const std::string conversation = Text(found->rows[0][0]);
    auto del = tx.Execute("DELETE FROM messages WHERE id = ?", Params{message_id});
    if (!del) return del.error();
    auto conv = tx.Execute(
        "UPDATE conversations SET message_count = (SELECT COUNT(*) FROM messages WHERE conversation_id = ?),"
        " last_message_at = (SELECT MAX(created_at) FROM messages WHERE conversation_id = ?), updated_at = ?"
        " WHERE id = ?",
        Params{conversation, conversation, now, conversation});
    if (!conv) return conv.error();
    return Ok{};
  });
}

Result<Message> SqlConversationStore::GetMessage(const std::string& user_id, const std::string& message_id) {
  auto rows = db_.Query(std::string("SELECT ") + kMessageColumns + " FROM messages WHERE id = ? AND user_id = ?",
                        Params{message_id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return MessageNotFound();
  return MessageFrom(rows->rows[0]);
}

Result<std::vector<core::chat::SearchHit>> SqlConversationStore::Search(const std::string& user_id,
                                                                        const std::string& query, std::int64_t limit) {
  return search_.Search(db_, user_id, query, std::clamp<std::int64_t>(limit, 1, 200));
}

Result<core::chat::Page<core::chat::MessageHit>> SqlConversationStore::SearchMessages(const std::string& user_id,
                                                                                      const std::string& query,
                                                                                      std::int64_t limit) {
  return search_.SearchMessages(db_, user_id, query, std::clamp<std::int64_t>(limit, 1, 200));
}

Result<void> SqlConversationStore::CommitTurn(const core::chat::TurnRecord& turn) {
  const std::string now = Now();
  return db_.Transact([&](Executor& tx) -> Result<void> {
    if (turn.create) {
      const auto& f = *turn.create;
      auto ins = tx.Execute(
          "INSERT INTO conversations (id, user_id, title, config_id, folder_id, tags, system_prompt, model,"
          " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          Params{turn.conversation_id, turn.user_id, f.title, Opt(f.config_id), Opt(f.folder_id), TagsJson(f.tags),
                 f.system_prompt, f.model, now, now});
      if (!ins) return ins.error();
    } else {
      auto owned = tx.Query("SELECT 1 FROM conversations WHERE id = ? AND user_id = ?",
                            Params{turn.conversation_id, turn.user_id});
      if (!owned) return owned.error();
      if (owned->empty()) return NotFound();
    }
    if (turn.edit_message_id) {
      if (auto e = EditIn(tx, turn.user_id, turn.conversation_id, *turn.edit_message_id, turn.edit_content, now); !e) {
        return e;
      }
    }
    if (turn.truncate_after_message_id) {
      auto seq = tx.Query("SELECT seq FROM messages WHERE id = ? AND conversation_id = ? AND user_id = ?",
                          Params{*turn.truncate_after_message_id, turn.conversation_id, turn.user_id});
      if (!seq) return seq.error();
      if (seq->empty()) return MessageNotFound();
      auto del = tx.Execute("DELETE FROM messages WHERE conversation_id = ? AND seq > ?",
                            Params{turn.conversation_id, seq->rows[0][0]});
      if (!del) return del.error();
    }
    for (const auto& m : turn.append) {
      if (auto ins = InsertMessage(tx, turn.user_id, m); !ins) return ins;
    }
    auto conv = tx.Execute(
        "UPDATE conversations SET message_count = (SELECT COUNT(*) FROM messages WHERE conversation_id = ?),"
        " last_message_at = CASE WHEN ? = 1 THEN ? ELSE last_message_at END,"
        " prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ?,"
        " total_tokens = total_tokens + ?, cost_usd = cost_usd + ?, model = COALESCE(?, model), updated_at = ?"
        " WHERE id = ?",
        Params{turn.conversation_id, std::int64_t{turn.append.empty() ? 0 : 1}, now, turn.usage.prompt_tokens,
               turn.usage.completion_tokens, turn.usage.total_tokens, turn.usage.cost_usd, Opt(turn.model), now,
               turn.conversation_id});
    if (!conv) return conv.error();
    auto user =
        tx.Execute("UPDATE users SET tokens_used = tokens_used + ?, messages_sent = messages_sent + ? WHERE id = ?",
                   Params{turn.usage.total_tokens, turn.user_messages, turn.user_id});
    if (!user) return user.error();
    return Ok{};
  });
}

Result<core::identity::Usage> SqlConversationStore::UsageOf(const std::string& user_id) {
  auto rows = db_.Query("SELECT messages_sent, tokens_used, tokens_limit FROM users WHERE id = ?", Params{user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return Error(ErrorCode::kNotFound, "User not found").WithReason(core::Reason::kUserNotFound);
  return core::identity::Usage{Int(rows->rows[0][0]), Int(rows->rows[0][1]), AsInt(rows->rows[0][2]).value_or(-1)};
}

Result<void> SqlConversationStore::AddUsage(const std::string& user_id, std::int64_t tokens) {
  auto changed = db_.Execute("UPDATE users SET tokens_used = tokens_used + ? WHERE id = ?", Params{tokens, user_id});
  if (!changed) return changed.error();
  return Ok{};
}

Result<bool> SqlConversationStore::SetTitleIf(const std::string& user_id, const std::string& conversation_id,
                                              const std::string& expected, const std::string& title) {
  auto changed =
      db_.Execute("UPDATE conversations SET title = ?, updated_at = ? WHERE id = ? AND user_id = ? AND title = ?",
                  Params{title, Now(), conversation_id, user_id, expected});
  if (!changed) return changed.error();
  return *changed > 0;
}

}  // namespace atrium::storage::sql
