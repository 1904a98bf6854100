#include "core/chat/conversation_store.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

namespace atrium::core::chat {

namespace {

namespace json = boost::json;
using storage::Null;
using storage::Params;
using storage::Value;

constexpr const char* kConversationColumns =
    "id, user_id, title, config_id, folder_id, tags, pinned, archived, summary, system_prompt, model,"
    " message_count, last_message_at, prompt_tokens, completion_tokens, total_tokens, cost_usd, created_at, updated_at";

constexpr const char* kMessageColumns =
    "id, conversation_id, role, content, status, model, prompt_tokens, completion_tokens, total_tokens,"
    " tokens_estimated, generation_ms, first_token_ms, cost_usd, finish_reason, edit_history, created_at, updated_at";

Value Opt(const std::optional<std::string>& s) { return s ? Value{*s} : Value{Null{}}; }
std::string Text(const Value& v) { return storage::AsText(v).value_or(""); }
std::int64_t Int(const Value& v) { return storage::AsInt(v).value_or(0); }

Error NotFound() {
  return Error(ErrorCode::kNotFound, "Conversation not found").WithReason(Reason::kConversationNotFound);
}
Error MessageNotFound() {
  return Error(ErrorCode::kNotFound, "Message not found").WithReason(Reason::kMessageNotFound);
}

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

std::vector<MessageEdit> EditsFrom(const std::string& text) {
  std::vector<MessageEdit> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (!e.is_object()) continue;
    const auto* c = e.as_object().if_contains("content");
    const auto* at = e.as_object().if_contains("edited_at");
    out.push_back({c && c->is_string() ? std::string(c->as_string()) : "",
                   at && at->is_string() ? std::string(at->as_string()) : ""});
  }
  return out;
}

Conversation ConversationFrom(const std::vector<Value>& r) {
  Conversation c;
  c.id = Text(r[0]);
  c.user_id = Text(r[1]);
  c.title = Text(r[2]);
  c.config_id = storage::AsText(r[3]);
  c.folder_id = storage::AsText(r[4]);
  c.tags = TagsFrom(Text(r[5]));
  c.pinned = Int(r[6]) != 0;
  c.archived = Int(r[7]) != 0;
  c.summary = storage::AsText(r[8]);
  c.system_prompt = Text(r[9]);
  c.model = Text(r[10]);
  c.message_count = Int(r[11]);
  c.last_message_at = storage::AsText(r[12]);
  c.stats.prompt_tokens = Int(r[13]);
  c.stats.completion_tokens = Int(r[14]);
  c.stats.total_tokens = Int(r[15]);
  c.stats.cost_usd = storage::AsDouble(r[16]).value_or(0);
  c.created_at = Text(r[17]);
  c.updated_at = Text(r[18]);
  return c;
}

Message MessageFrom(const std::vector<Value>& r) {
  Message m;
  m.id = Text(r[0]);
  m.conversation_id = Text(r[1]);
  m.role = Text(r[2]);
  m.content = Text(r[3]);
  m.status = Text(r[4]) == "cancelled" ? MessageStatus::kCancelled : MessageStatus::kComplete;
  if (m.role == "assistant") {
    GenerationMetadata g;
    g.model = Text(r[5]);
    g.prompt_tokens = Int(r[6]);
    g.completion_tokens = Int(r[7]);
    g.total_tokens = Int(r[8]);
    g.tokens_estimated = Int(r[9]) != 0;
    g.generation_ms = Int(r[10]);
    g.first_token_ms = Int(r[11]);
    g.cost_usd = storage::AsDouble(r[12]);
    g.finish_reason = Text(r[13]);
    m.generation = g;
  }
  m.edit_history = EditsFrom(Text(r[14]));
  m.created_at = Text(r[15]);
  m.updated_at = Text(r[16]);
  return m;
}

Result<void> InsertMessage(storage::Executor& tx, const std::string& user_id, const Message& m) {
  const auto* g = m.generation ? &*m.generation : nullptr;
  auto ins = tx.Execute(
      "INSERT INTO messages (id, conversation_id, user_id, role, content, status, model, prompt_tokens,"
      " completion_tokens, total_tokens, tokens_estimated, generation_ms, first_token_ms, cost_usd, finish_reason,"
      " edit_history, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)",
      Params{m.id, m.conversation_id, user_id, m.role, m.content, std::string(StatusName(m.status)),
             g ? Value{g->model} : Value{Null{}}, g ? Value{g->prompt_tokens} : Value{Null{}},
             g ? Value{g->completion_tokens} : Value{Null{}}, g ? Value{g->total_tokens} : Value{Null{}},
             std::int64_t{g && g->tokens_estimated ? 1 : 0}, g ? Value{g->generation_ms} : Value{Null{}},
             g ? Value{g->first_token_ms} : Value{Null{}}, g && g->cost_usd ? Value{*g->cost_usd} : Value{Null{}},
             g ? Value{g->finish_reason} : Value{Null{}}, m.created_at, m.updated_at});
  if (!ins) return ins.error();
  return Ok{};
}

// The message columns of `kMessageColumns`, each qualified with `table`.
std::string QualifiedMessageColumns(std::string_view table) {
  std::string out;
  std::string_view rest = kMessageColumns;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view column = rest.substr(0, comma);
    while (!column.empty() && column.front() == ' ') column.remove_prefix(1);
    if (!out.empty()) out += ", ";
    out += table;
    out += '.';
    out += column;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
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
      return "title COLLATE NOCASE";
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

ListFilter FilterFor(const std::string& user_id, const ListOptions& options) {
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
    const std::string match = FtsQuery(options.title_search);
    if (match.empty()) f.matches_none = true;
    f.where += " AND rid IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ?)";
    f.params.emplace_back(match);
  }
  return f;
}

// Inside a transaction: the message's content becomes `content` and the old one is
// added to its edit history. `conversation_id` set: the message must be in it.
Result<void> EditIn(storage::Executor& tx, const std::string& user_id,
                    const std::optional<std::string>& conversation_id, const std::string& message_id,
                    const std::string& content, const std::string& now) {
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

std::string_view StatusName(MessageStatus s) { return s == MessageStatus::kCancelled ? "cancelled" : "complete"; }

std::string FtsQuery(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    // Letters, digits and any non-ASCII byte make words; everything else separates
    // them (FTS5's unicode61 tokenizer would split there anyway).
    if (std::isalnum(u) || u >= 0x80 || c == '_') {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ' ';
    out += '"' + words[i] + '"';
    if (i + 1 == words.size()) out += '*';
  }
  return out;
}

ConversationStore::ConversationStore(storage::Database& db, const Clock& clock, Random& random)
    : db_(db), clock_(clock), random_(random) {}

Result<Conversation> ConversationStore::Create(const std::string& user_id, const NewConversation& fields) {
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

Result<Conversation> ConversationStore::Get(const std::string& user_id, const std::string& conversation_id) {
  auto rows =
      db_.Query(std::string("SELECT ") + kConversationColumns + " FROM conversations WHERE id = ? AND user_id = ?",
                Params{conversation_id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return NotFound();
  return ConversationFrom(rows->rows[0]);
}

Result<std::vector<Conversation>> ConversationStore::List(const std::string& user_id, const ListOptions& options) {
  const ListFilter f = FilterFor(user_id, options);
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

Result<Page<Conversation>> ConversationStore::ListPage(const std::string& user_id, const ListOptions& options) {
  const ListFilter f = FilterFor(user_id, options);
  if (f.matches_none) return Page<Conversation>{};
  auto counted = db_.Query("SELECT COUNT(*) FROM conversations" + f.where, f.params);
  if (!counted) return counted.error();
  auto items = List(user_id, options);
  if (!items) return items.error();
  return Page<Conversation>{std::move(*items), Int(counted->rows[0][0])};
}

Result<std::int64_t> ConversationStore::Count(const std::string& user_id) {
  auto rows = db_.Query("SELECT COUNT(*) FROM conversations WHERE user_id = ?", Params{user_id});
  if (!rows) return rows.error();
  return Int(rows->rows[0][0]);
}

Result<Conversation> ConversationStore::Update(const std::string& user_id, const std::string& conversation_id,
                                               const ConversationPatch& patch) {
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
  if (patch.pinned) set("pinned", std::int64_t{*patch.pinned ? 1 : 0});
  if (patch.archived) set("archived", std::int64_t{*patch.archived ? 1 : 0});
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

Result<void> ConversationStore::Delete(const std::string& user_id, const std::string& conversation_id) {
  auto changed =
      db_.Execute("DELETE FROM conversations WHERE id = ? AND user_id = ?", Params{conversation_id, user_id});
  if (!changed) return changed.error();
  if (*changed == 0) return NotFound();
  return Ok{};
}

Result<std::vector<Message>> ConversationStore::Messages(const std::string& user_id,
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

Result<Page<Message>> ConversationStore::MessagesPage(const std::string& user_id, const std::string& conversation_id,
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
  Page<Message> out;
  out.total = Int(counted->rows[0][0]);
  for (const auto& r : rows->rows) out.items.push_back(MessageFrom(r));
  return out;
}

Result<Message> ConversationStore::EditMessage(const std::string& user_id, const std::string& message_id,
                                               const std::string& content) {
  const std::string now = Now();
  auto edited = db_.Transact([&](storage::Executor& tx) -> Result<void> {
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

Result<void> ConversationStore::DeleteMessage(const std::string& user_id, const std::string& message_id) {
  const std::string now = Now();
  return db_.Transact([&](storage::Executor& tx) -> Result<void> {
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

Result<Message> ConversationStore::GetMessage(const std::string& user_id, const std::string& message_id) {
  auto rows = db_.Query(std::string("SELECT ") + kMessageColumns + " FROM messages WHERE id = ? AND user_id = ?",
                        Params{message_id, user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return MessageNotFound();
  return MessageFrom(rows->rows[0]);
}

Result<std::vector<SearchHit>> ConversationStore::Search(const std::string& user_id, const std::string& query,
                                                         std::int64_t limit) {
  const std::string match = FtsQuery(query);
  if (match.empty()) return std::vector<SearchHit>{};
  const auto bound = std::clamp<std::int64_t>(limit, 1, 200);
  auto rows = db_.Query(
      "SELECT * FROM ("
      " SELECT c.id, c.title, NULL, '', snippet(conversations_fts, 0, '<mark>', '</mark>', '...', 12), c.updated_at"
      " FROM conversations_fts JOIN conversations c ON c.rid = conversations_fts.rowid"
      " WHERE conversations_fts MATCH ? AND c.user_id = ?"
      " UNION ALL"
      " SELECT c.id, c.title, m.id, m.role, snippet(messages_fts, 0, '<mark>', '</mark>', '...', 12), m.created_at"
      " FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid"
      " JOIN conversations c ON c.id = m.conversation_id"
      " WHERE messages_fts MATCH ? AND m.user_id = ?"
      ") ORDER BY 6 DESC LIMIT ?",
      Params{match, user_id, match, user_id, bound});
  if (!rows) return rows.error();
  std::vector<SearchHit> out;
  for (const auto& r : rows->rows) {
    out.push_back({Text(r[0]), Text(r[1]), storage::AsText(r[2]), Text(r[3]), Text(r[4]), Text(r[5])});
  }
  return out;
}

Result<Page<MessageHit>> ConversationStore::SearchMessages(const std::string& user_id, const std::string& query,
                                                           std::int64_t limit) {
  const std::string match = FtsQuery(query);
  if (match.empty()) return Page<MessageHit>{};
  constexpr const char* kFrom =
      " FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid JOIN conversations c ON c.id = "
      "m.conversation_id"
      " WHERE messages_fts MATCH ? AND m.user_id = ?";
  auto counted = db_.Query(std::string("SELECT COUNT(*)") + kFrom, Params{match, user_id});
  if (!counted) return counted.error();
  auto rows = db_.Query("SELECT " + QualifiedMessageColumns("m") +
                            ", c.title, snippet(messages_fts, 0, '<mark>', '</mark>', '...', 12)" + kFrom +
                            " ORDER BY m.seq DESC LIMIT ?",
                        Params{match, user_id, std::clamp<std::int64_t>(limit, 1, 200)});
  if (!rows) return rows.error();
  Page<MessageHit> out;
  out.total = Int(counted->rows[0][0]);
  for (const auto& r : rows->rows) {
    const std::size_t n = r.size();
    out.items.push_back({MessageFrom(r), Text(r[n - 2]), Text(r[n - 1])});
  }
  return out;
}

Result<void> ConversationStore::CommitTurn(const TurnRecord& turn) {
  const std::string now = Now();
  return db_.Transact([&](storage::Executor& tx) -> Result<void> {
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
        " last_message_at = CASE WHEN ? THEN ? ELSE last_message_at END,"
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

Result<identity::Usage> ConversationStore::UsageOf(const std::string& user_id) {
  auto rows = db_.Query("SELECT messages_sent, tokens_used, tokens_limit FROM users WHERE id = ?", Params{user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return Error(ErrorCode::kNotFound, "User not found").WithReason(Reason::kUserNotFound);
  return identity::Usage{Int(rows->rows[0][0]), Int(rows->rows[0][1]), storage::AsInt(rows->rows[0][2]).value_or(-1)};
}

Result<void> ConversationStore::AddUsage(const std::string& user_id, std::int64_t tokens) {
  auto changed = db_.Execute("UPDATE users SET tokens_used = tokens_used + ? WHERE id = ?", Params{tokens, user_id});
  if (!changed) return changed.error();
  return Ok{};
}

Result<bool> ConversationStore::SetTitleIf(const std::string& user_id, const std::string& conversation_id,
                                           const std::string& expected, const std::string& title) {
  auto changed =
      db_.Execute("UPDATE conversations SET title = ?, updated_at = ? WHERE id = ? AND user_id = ? AND title = ?",
                  Params{title, Now(), conversation_id, user_id, expected});
  if (!changed) return changed.error();
  return *changed > 0;
}

}  // namespace atrium::core::chat
