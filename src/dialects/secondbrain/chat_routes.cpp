// POST /api/chat and the conversations (second-brain-api.md, "Chat & Conversation"):
// through the core's ChatService and ConversationStore, owner-scoped (another user's
// conversation is 404). Chat counts against the spec's Chat API limit, the rest
// against the General API limit.

#include <boost/json.hpp>

#include "core/chat/chat_service.hpp"
#include "core/chat/conversation_store.hpp"
#include "core/clock.hpp"
#include "dialects/secondbrain/chat_json.hpp"
#include "dialects/secondbrain/chat_turn.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/paging.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::secondbrain {

namespace {

namespace json = boost::json;
using core::identity::Principal;

core::chat::ConversationSort SortOf(const std::string& by) {
  if (by == "createdAt") return core::chat::ConversationSort::kCreatedAt;
  if (by == "title") return core::chat::ConversationSort::kTitle;
  if (by == "messageCount") return core::chat::ConversationSort::kMessageCount;
  return core::chat::ConversationSort::kUpdatedAt;
}

}  // namespace

void AddChatRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  const auto& general = ctx.rules().general;

  AddApi(site, http::Method::kPost, "/chat",
         ctx.Authed(ctx.rules().chat, [&services](http::Request& req, const Principal& who) -> http::Reply {
           auto body = http::ParseJsonObject(req);
           if (!body) return std::move(body).error();
           auto request = ParseChatRequest(*body, "message");
           if (!request) return std::move(request).error();
           auto options = TurnFor(services, who.user_id, *request);
           if (!options) return std::move(options).error();
           auto turn = services.chat.Send(*options);
           if (!turn) return ChatError(turn.error());
           const auto& answer = turn->assistant_message;
           return http::JsonReply(200, {{"messageId", answer.id},
                                        {"conversationId", turn->conversation.id},
                                        {"text", answer.content},
                                        {"metadata", AnswerMetadata(answer)},
                                        {"timestamp", SpecTimestamp(answer.created_at)}});
         }));

  AddApi(site, http::Method::kGet, "/conversations",
         ctx.Authed(general, [&services](http::Request& req, const Principal& who) -> http::Reply {
           auto paging = ReadPaging(req);
           if (!paging) return std::move(paging).error();
           auto sorting = ReadSorting(req, {"updatedAt", "createdAt", "title", "messageCount"}, "updatedAt");
           if (!sorting) return std::move(sorting).error();
           core::chat::ListOptions o;
           o.limit = paging->limit;
           o.offset = paging->offset();
           o.sort = SortOf(sorting->by);
           o.ascending = sorting->ascending;
           auto page = services.conversations.ListPage(who.user_id, o);
           if (!page) return ToApiError(page.error());
           json::array list;
           for (const auto& c : page->items) list.push_back(ConversationSummaryJson(c));
           return http::JsonReply(200, {{"conversations", std::move(list)},
                                        {"pagination", PaginationJson(page->total, *paging)}});
         }));

  AddApi(site, http::Method::kGet, "/conversation/:id",
         ctx.Authed(general, [&services](http::Request& req, const Principal& who) -> http::Reply {
           const std::string id(req.Param("id").value_or(""));
           auto conversation = services.conversations.Get(who.user_id, id);
           if (!conversation) return ToApiError(conversation.error());
           auto messages = services.conversations.Messages(who.user_id, id);
           if (!messages) return ToApiError(messages.error());
           json::array list;
           for (const auto& m : *messages) list.push_back(MessageJson(m));
           return http::JsonReply(200, {{"conversation", ConversationJson(*conversation)}, {"messages", std::move(list)}});
         }));

  AddApi(site, http::Method::kDelete, "/conversation/:id",
         ctx.Authed(general, [&services](http::Request& req, const Principal& who) -> http::Reply {
           const std::string id(req.Param("id").value_or(""));
           auto deleted = services.conversations.Delete(who.user_id, id);
           if (!deleted) return ToApiError(deleted.error());
           return http::JsonReply(200, {{"message", "Conversation deleted successfully"}, {"deletedId", id}});
         }));
}

}  // namespace atrium::dialects::secondbrain
