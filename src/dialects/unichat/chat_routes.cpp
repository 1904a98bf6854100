// /api/chat/*: one non-streamed chat turn through the core chat flow, a conversation's
// messages, deleting and editing a message, and answering again. Another user's
// conversation or message is 404 on every route; a failed generation stores nothing.

#include <boost/json.hpp>

#include "core/chat/chat_service.hpp"
#include "core/chat/conversation_store.hpp"
#include "dialects/unichat/chat_json.hpp"
#include "dialects/unichat/chat_request.hpp"
#include "dialects/unichat/paging.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::identity::Principal;

http::ApiError Bad(std::string message) { return http::MakeError(http::ErrorKind::kValidation, std::move(message)); }

struct EditRequest {
  std::string content;
  bool regenerate = false;
};

http::Result<EditRequest> ParseEdit(const json::object& body) {
  EditRequest r;
  const auto* content = body.if_contains("content");
  if (content == nullptr || content->is_null()) return Bad("content is required");
  if (!content->is_string()) return Bad("content must be a string");
  if (content->as_string().find_first_not_of(" \t\r\n") == json::string::npos) return Bad("content must not be empty");
  r.content = std::string(content->as_string());
  if (const auto* v = body.if_contains("regenerate"); v != nullptr && !v->is_null()) {
    if (!v->is_bool()) return Bad("regenerate must be a boolean");
    r.regenerate = v->as_bool();
  }
  return r;
}

}  // namespace

void AddChatRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  const auto& rule = ctx.rules().chat;

  site.Add(http::Method::kPost, "/api/chat/send",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             auto parsed = ParseSendRequest(*body);
             if (!parsed) return std::move(parsed).error();
             auto turn = TurnFor(services, who.user_id, std::move(*parsed));
             if (!turn) return std::move(turn).error();
             const auto& options = *turn;
             auto done = services.chat.Send(options);
             if (!done) return ChatError(done.error());
             return http::JsonReply(200, {{"conversation_id", done->conversation.id},
                                          {"user_message", MessageJson(*done->user_message)},
                                          {"assistant_message", MessageJson(done->assistant_message)},
                                          {"is_new_conversation", options.conversation_id.empty()}});
           }));

  site.Add(http::Method::kGet, "/api/chat/:conversation_id/messages",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto page = ReadPage(req, 100);
             if (!page) return std::move(page).error();
             const auto& p = *page;
             auto found = services.conversations.MessagesPage(who.user_id, std::string(*req.Param("conversation_id")),
                                                              p.limit, p.offset());
             if (!found) return ToApiError(found.error());
             json::array list;
             for (const auto& m : found->items) list.emplace_back(MessageJson(m));
             return http::JsonReply(200, Listing("messages", std::move(list), found->total, p));
           }));

  site.Add(http::Method::kDelete, "/api/chat/messages/:id",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             if (auto gone = services.conversations.DeleteMessage(who.user_id, std::string(*req.Param("id"))); !gone) {
               return ToApiError(gone.error());
             }
             return http::JsonReply(200, {{"message", "Message deleted"}});
           }));

  site.Add(http::Method::kPut, "/api/chat/messages/:id",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             auto parsed = ParseEdit(*body);
             if (!parsed) return std::move(parsed).error();
             auto& edit = *parsed;
             const std::string id(*req.Param("id"));
             auto message = services.conversations.GetMessage(who.user_id, id);
             if (!message) return ToApiError(message.error());
             if (message->role != "user") return Bad("Only user messages can be edited");
             if (!edit.regenerate) {
               auto edited = services.conversations.EditMessage(who.user_id, id, edit.content);
               if (!edited) return ToApiError(edited.error());
               return http::JsonReply(
                   200, {{"message", MessageJson(*edited)}, {"deleted_count", 0}, {"assistant_message", nullptr}});
             }
             auto options = RegenerateFor(services, who.user_id, message->conversation_id);
             if (!options) return std::move(options).error();
             auto all = services.conversations.Messages(who.user_id, message->conversation_id);
             if (!all) return ToApiError(all.error());
             const auto at = std::find_if(all->begin(), all->end(), [&](const auto& m) { return m.id == id; });
             const auto after = at == all->end() ? 0 : std::distance(at, all->end()) - 1;
             auto& o = *options;
             o.edit_message_id = id;
             o.edit_content = edit.content;
             auto done = services.chat.Regenerate(o);
             if (!done) return ChatError(done.error());
             return http::JsonReply(200, {{"message", MessageJson(*done->user_message)},
                                          {"deleted_count", after},
                                          {"assistant_message", MessageJson(done->assistant_message)}});
           }));

  site.Add(http::Method::kPost, "/api/chat/regenerate/:id",
           ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
             const std::string id(*req.Param("id"));
             auto message = services.conversations.GetMessage(who.user_id, id);
             if (!message) return ToApiError(message.error());
             if (message->role != "assistant") return Bad("Only assistant messages can be regenerated");
             auto options = RegenerateFor(services, who.user_id, message->conversation_id);
             if (!options) return std::move(options).error();
             auto& o = *options;
             o.message_id = id;
             auto done = services.chat.Regenerate(o);
             if (!done) return ChatError(done.error());
             return http::JsonReply(200, {{"message", MessageJson(done->assistant_message)}});
           }));
}

}  // namespace atrium::dialects::unichat
