// /api/conversations/*: a user's conversations, their search and export. Another
// user's conversation is 404 "Conversation not found" on every route.

#include <boost/json.hpp>

#include "core/assistants/assistant_config.hpp"
#include "core/assistants/assistant_config_service.hpp"
#include "core/chat/conversation_store.hpp"
#include "core/clock.hpp"
#include "dialects/common/download.hpp"
#include "dialects/unichat/chat_json.hpp"
#include "dialects/unichat/chat_request.hpp"
#include "dialects/unichat/conversation_export.hpp"
#include "dialects/unichat/paging.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/json_body.hpp"
#include "http/query_params.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::chat::ConversationSort;
using core::identity::Principal;

constexpr std::size_t kMaxTitleChars = 200;
constexpr std::size_t kMaxFolderIdChars = 200;
constexpr std::size_t kMaxTags = 20;
constexpr std::size_t kMaxTagChars = 50;
constexpr std::int64_t kSearchResults = 50;
constexpr std::int64_t kMessageSearchDefault = 50;
constexpr std::int64_t kMessageSearchMax = 100;

http::ApiError Bad(std::string message) { return http::MakeError(http::ErrorKind::kValidation, std::move(message)); }

http::Result<json::object> OptionalBody(const http::Request& req) {
  if (req.body.empty()) return json::object{};
  return http::ParseJsonObject(req);
}

// The fields a client may set on a conversation; absent ones stay unset.
struct ConversationFields {
  std::optional<std::string> title;
  std::optional<std::optional<std::string>> folder_id;  // set to null: no folder
  std::optional<std::vector<std::string>> tags;
  std::optional<bool> pinned;
  std::optional<std::string> config_id;
};

http::Result<ConversationFields> ParseFields(const json::object& o, bool creating) {
  ConversationFields f;
  if (const auto* v = o.if_contains("title"); v != nullptr && !v->is_null()) {
    if (!v->is_string()) return Bad("title must be a string");
    std::string title(v->as_string());
    title.erase(0, title.find_first_not_of(" \t\r\n"));
    title.erase(title.find_last_not_of(" \t\r\n") + 1);
    if (title.empty() || core::assistants::CharCount(title) > kMaxTitleChars) {
      return Bad("title must be 1-200 characters");
    }
    f.title = std::move(title);
  }
  if (const auto* v = o.if_contains("folder_id")) {
    if (v->is_null()) {
      f.folder_id = std::optional<std::string>();
    } else if (!v->is_string() || v->as_string().empty() || v->as_string().size() > kMaxFolderIdChars) {
      return Bad("folder_id must be a non-empty string or null");
    } else {
      f.folder_id = std::optional<std::string>(std::string(v->as_string()));
    }
  }
  if (const auto* v = o.if_contains("tags"); v != nullptr && !v->is_null()) {
    if (!v->is_array()) return Bad("tags must be an array of strings");
    std::vector<std::string> tags;
    for (const auto& t : v->as_array()) {
      if (!t.is_string()) return Bad("tags must be an array of strings");
      std::string tag(t.as_string());
      tag.erase(0, tag.find_first_not_of(' '));
      tag.erase(tag.find_last_not_of(' ') + 1);
      if (tag.empty() || core::assistants::CharCount(tag) > kMaxTagChars)
        return Bad("each tag must be 1-50 characters");
      if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
    }
    if (tags.size() > kMaxTags) return Bad("tags: at most 20");
    f.tags = std::move(tags);
  }
  if (const auto* v = o.if_contains("is_pinned"); v != nullptr && !v->is_null()) {
    if (!v->is_bool()) return Bad("is_pinned must be a boolean");
    f.pinned = v->as_bool();
  }
  if (creating) {
    if (const auto* v = o.if_contains("config_id"); v != nullptr && !v->is_null()) {
      if (!v->is_string() || v->as_string().empty()) return Bad("config_id must be a non-empty string");
      f.config_id = std::string(v->as_string());
    }
  }
  return f;
}

std::optional<ConversationSort> SortNamed(std::string_view name) {
  if (name == "last_message_at") return ConversationSort::kLastMessageAt;
  if (name == "created_at") return ConversationSort::kCreatedAt;
  if (name == "updated_at") return ConversationSort::kUpdatedAt;
  if (name == "title") return ConversationSort::kTitle;
  if (name == "message_count") return ConversationSort::kMessageCount;
  return std::nullopt;
}

json::array ConversationsJson(const std::vector<core::chat::Conversation>& list) {
  json::array out;
  for (const auto& c : list) out.emplace_back(ConversationJson(c));
  return out;
}

// `q`, trimmed; 400 "q is required" when absent or blank.
http::Result<std::string> SearchText(const http::Request& req) {
  std::string q = req.QueryParam("q").value_or("");
  q.erase(0, q.find_first_not_of(" \t\r\n"));
  q.erase(q.find_last_not_of(" \t\r\n") + 1);
  if (q.empty()) return http::MakeError(http::ErrorKind::kBadRequest, "q is required");
  return q;
}

}  // namespace

void AddConversationRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  const auto& rule = ctx.rules().other;

  site.Add(http::Method::kGet, "/api/conversations",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto page = ReadPage(req, 20);
             if (!page) return std::move(page).error();
             auto archived = http::BoolParam(req, "archived", false);
             if (!archived) return std::move(archived).error();
             const auto& p = *page;
             core::chat::ListOptions o;
             o.archived = *archived;
             if (auto folder = req.QueryParam("folder_id"); folder && !folder->empty()) o.folder_id = *folder;
             o.title_search = req.QueryParam("search").value_or("");
             const std::string sort = req.QueryParam("sort").value_or("");
             const auto named = SortNamed(sort.empty() ? "last_message_at" : sort);
             if (!named) {
               return http::MakeError(http::ErrorKind::kBadRequest,
                                      "sort must be one of last_message_at, created_at, updated_at, title, "
                                      "message_count");
             }
             o.sort = *named;
             const std::string order = req.QueryParam("order").value_or("");
             if (order.empty()) {
               o.ascending = o.sort == ConversationSort::kTitle;
             } else if (order == "asc" || order == "desc") {
               o.ascending = order == "asc";
             } else {
               return http::MakeError(http::ErrorKind::kBadRequest, "order must be asc or desc");
             }
             o.limit = p.limit;
             o.offset = p.offset();
             auto found = services.conversations.ListPage(who.user_id, o);
             if (!found) return ToApiError(found.error());
             return http::JsonReply(200, Listing("conversations", ConversationsJson(found->items), found->total, p));
           }));

  site.Add(http::Method::kPost, "/api/conversations",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto body = OptionalBody(req);
             if (!body) return std::move(body).error();
             auto parsed = ParseFields(*body, true);
             if (!parsed) return std::move(parsed).error();
             auto& f = *parsed;
             core::chat::NewConversation fields;
             fields.title = f.title.value_or("New Conversation");
             if (f.folder_id) fields.folder_id = *f.folder_id;
             if (f.tags) fields.tags = *f.tags;
             if (f.config_id) {
               auto config = services.assistants.Get(who.user_id, *f.config_id);
               if (!config) return ToApiError(config.error());
               fields.config_id = config->id;
               fields.system_prompt = config->system_prompt;
               fields.model = config->model_id;
             }
             auto made = services.conversations.Create(who.user_id, fields);
             if (!made) return ToApiError(made.error());
             if (f.pinned && *f.pinned) {
               made = services.conversations.Update(who.user_id, made->id, {.pinned = true});
               if (!made) return ToApiError(made.error());
             }
             return http::JsonReply(201, {{"conversation", ConversationJson(*made)}});
           }));

  site.Add(http::Method::kGet, "/api/conversations/search",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto q = SearchText(req);
             if (!q) return std::move(q).error();
             core::chat::ListOptions o;
             o.title_search = *q;
             o.sort = ConversationSort::kLastMessageAt;
             o.limit = kSearchResults;
             auto found = services.conversations.List(who.user_id, o);
             if (!found) return ToApiError(found.error());
             return http::JsonReply(200, {{"conversations", ConversationsJson(*found)}, {"query", *q}});
           }));

  site.Add(http::Method::kGet, "/api/conversations/search/messages",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto q = SearchText(req);
             if (!q) return std::move(q).error();
             // Above the maximum is clamped to it, as the spec's "max 100" reads.
             auto limit = http::IntegerParam(req, "limit", kMessageSearchDefault, 1, 1'000'000'000);
             if (!limit) return std::move(limit).error();
             const auto n = std::min(*limit, kMessageSearchMax);
             auto found = services.conversations.SearchMessages(who.user_id, *q, n);
             if (!found) return ToApiError(found.error());
             json::array results;
             for (const auto& hit : found->items) {
               const auto& m = hit.message;
               results.emplace_back(json::object{{"id", m.id},
                                                 {"conversation_id", m.conversation_id},
                                                 {"conversation_title", hit.conversation_title},
                                                 {"role", m.role},
                                                 {"content", m.content},
                                                 {"snippet", hit.snippet},
                                                 {"created_at", m.created_at}});
             }
             return http::JsonReply(200, {{"results", std::move(results)}, {"query", *q}, {"total", found->total}});
           }));

  site.Add(
      http::Method::kGet, "/api/conversations/:id",
      ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
        const std::string id(*req.Param("id"));
        auto conversation = services.conversations.Get(who.user_id, id);
        if (!conversation) return ToApiError(conversation.error());
        auto messages = services.conversations.Messages(who.user_id, id);
        if (!messages) return ToApiError(messages.error());
        json::array list;
        for (const auto& m : *messages) list.emplace_back(MessageJson(m));
        return http::JsonReply(200, {{"conversation", ConversationJson(*conversation)}, {"messages", std::move(list)}});
      }));

  site.Add(http::Method::kPut, "/api/conversations/:id",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             auto parsed = ParseFields(*body, false);
             if (!parsed) return std::move(parsed).error();
             auto& f = *parsed;
             core::chat::ConversationPatch patch;
             patch.title = f.title;
             patch.folder_id = f.folder_id;
             patch.tags = f.tags;
             patch.pinned = f.pinned;
             auto updated = services.conversations.Update(who.user_id, std::string(*req.Param("id")), patch);
             if (!updated) return ToApiError(updated.error());
             return http::JsonReply(200, {{"conversation", ConversationJson(*updated)}});
           }));

  site.Add(http::Method::kDelete, "/api/conversations/:id",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             if (auto gone = services.conversations.Delete(who.user_id, std::string(*req.Param("id"))); !gone) {
               return ToApiError(gone.error());
             }
             return http::JsonReply(200, {{"message", "Conversation deleted"}});
           }));

  site.Add(http::Method::kPost, "/api/conversations/:id/archive",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto body = OptionalBody(req);
             if (!body) return std::move(body).error();
             std::optional<bool> wanted;
             if (const auto* v = body->if_contains("archived"); v != nullptr && !v->is_null()) {
               if (!v->is_bool()) return Bad("archived must be a boolean");
               wanted = v->as_bool();
             }
             const std::string id(*req.Param("id"));
             auto current = services.conversations.Get(who.user_id, id);
             if (!current) return ToApiError(current.error());
             const bool archived = wanted.value_or(!current->archived);
             auto updated = services.conversations.Update(who.user_id, id, {.archived = archived});
             if (!updated) return ToApiError(updated.error());
             return http::JsonReply(
                 200, {{"message", updated->archived ? "Archived" : "Unarchived"}, {"is_archived", updated->archived}});
           }));

  site.Add(http::Method::kGet, "/api/conversations/:id/export",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             const std::string format_name = req.QueryParam("format").value_or("");
             ExportFormat format = ExportFormat::kMarkdown;
             if (format_name == "json") {
               format = ExportFormat::kJson;
             } else if (!format_name.empty() && format_name != "markdown") {
               return http::MakeError(http::ErrorKind::kBadRequest, "format must be json or markdown");
             }
             auto metadata = http::BoolParam(req, "metadata", true);
             if (!metadata) return std::move(metadata).error();
             const std::string id(*req.Param("id"));
             auto conversation = services.conversations.Get(who.user_id, id);
             if (!conversation) return ToApiError(conversation.error());
             auto messages = services.conversations.Messages(who.user_id, id);
             if (!messages) return ToApiError(messages.error());
             const std::string now = core::FormatRfc3339(services.clock.Now());
             auto file = ExportConversation(*conversation, *messages, format, *metadata, now.substr(0, 10), now);
             return Download(200, std::move(file.body), file.content_type,
                             {.disposition = std::move(file.disposition)});
           }));
}

}  // namespace atrium::dialects::unichat
