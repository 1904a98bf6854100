// /api/configs/* (a user's LLM configurations, and enhance-prompt) and /api/gallery/*
// (the public ones).

#include <boost/json.hpp>

#include "core/assistants/assistant_config_service.hpp"
#include "core/assistants/prompt_enhancer.hpp"
#include "core/chat/conversation_store.hpp"
#include "core/llm/gateway.hpp"
#include "dialects/unichat/config_json.hpp"
#include "dialects/unichat/paging.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::assistants::GallerySort;
using core::identity::Principal;

http::Response Message(int status, std::string message) { return http::JsonReply(status, {{"message", message}}); }

http::Reply EnhancePrompt(const Deps& services, const http::Request& req, const Principal& who) {
  auto body = http::ParseJsonObject(req);
  if (!body) return std::move(body).error();
  const auto* prompt = body->if_contains("prompt");
  if (prompt == nullptr || prompt->is_null())
    return http::MakeError(http::ErrorKind::kValidation, "Prompt is required");
  if (!prompt->is_string()) return http::MakeError(http::ErrorKind::kValidation, "Prompt must be a string");
  auto enhanced = core::assistants::EnhancePrompt(services.gateway, services.conversations, who.user_id,
                                                  std::string(prompt->as_string()));
  if (!enhanced) {
    // The model is the server's choice, not the client's: an upstream that does not
    // know it is a server-side failure.
    if (enhanced.error().reason() == core::Reason::kModelNotFound) {
      return http::MakeError(http::ErrorKind::kBadGateway, "The LLM upstream does not serve the configured model");
    }
    return ToApiError(enhanced.error());
  }
  return http::JsonReply(200, {{"enhanced_prompt", enhanced->prompt}});
}

}  // namespace

void AddConfigRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  auto& configs = services.assistants;
  const auto& rule = ctx.rules().other;

  site.Add(http::Method::kGet, "/api/configs",
           ctx.Authed(rule, [&configs](http::Request& req, const Principal& who) -> http::Reply {
             auto page = ReadPage(req, 50);
             if (!page) return std::move(page).error();
             const auto& p = *page;
             auto listed = configs.ListOwned(who.user_id, p.limit, p.offset());
             if (!listed) return ToApiError(listed.error());
             return http::JsonReply(200, Listing("configs", ConfigsJson(listed->items), listed->total, p));
           }));

  site.Add(http::Method::kPost, "/api/configs",
           ctx.Authed(rule, [&configs](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             auto fields = ParseConfigFields(*body, true);
             if (!fields) return std::move(fields).error();
             auto made = configs.Create(who.user_id, *fields);
             if (!made) return ToApiError(made.error());
             return http::JsonReply(201, {{"config", ConfigJson(*made)}});
           }));

  // 10,000 characters may take up to 12 bytes each in JSON ("\ud83d\ude00" per emoji).
  site.Add(http::Method::kPost, "/api/configs/enhance-prompt",
           ctx.Authed(ctx.rules().chat,
                      [&services](http::Request& req, const Principal& who) -> http::Reply {
                        return EnhancePrompt(services, req, who);
                      }),
           {.body_limit = 256 * 1024});

  site.Add(http::Method::kGet, "/api/configs/:id",
           ctx.Authed(rule, [&configs](http::Request& req, const Principal& who) -> http::Reply {
             auto found = configs.Get(who.user_id, std::string(*req.Param("id")));
             if (!found) return ToApiError(found.error());
             return http::JsonReply(200, {{"config", ConfigJson(*found)}});
           }));

  site.Add(http::Method::kPut, "/api/configs/:id",
           ctx.Authed(rule, [&configs](http::Request& req, const Principal& who) -> http::Reply {
             auto body = http::ParseJsonObject(req);
             if (!body) return std::move(body).error();
             auto fields = ParseConfigFields(*body, false);
             if (!fields) return std::move(fields).error();
             auto updated = configs.Update(who.user_id, std::string(*req.Param("id")), *fields);
             if (!updated) return ToApiError(updated.error());
             return http::JsonReply(200, {{"config", ConfigJson(*updated)}});
           }));

  site.Add(http::Method::kDelete, "/api/configs/:id",
           ctx.Authed(rule, [&configs](http::Request& req, const Principal& who) -> http::Reply {
             if (auto gone = configs.Delete(who.user_id, std::string(*req.Param("id"))); !gone) {
               return ToApiError(gone.error());
             }
             return Message(200, "Config deleted");
           }));

  for (const bool publish : {true, false}) {
    site.Add(http::Method::kPost, publish ? "/api/configs/:id/publish" : "/api/configs/:id/unpublish",
             ctx.Authed(rule, [&configs, publish](http::Request& req, const Principal& who) -> http::Reply {
               auto updated = configs.SetPublic(who.user_id, std::string(*req.Param("id")), publish);
               if (!updated) return ToApiError(updated.error());
               return http::JsonReply(200, {{"message", publish ? "Config published" : "Config unpublished"},
                                            {"visibility", core::assistants::VisibilityName(updated->visibility)}});
             }));
  }

  site.Add(http::Method::kPost, "/api/configs/:id/duplicate",
           ctx.Authed(rule, [&configs](http::Request& req, const Principal& who) -> http::Reply {
             std::optional<std::string> name;
             if (!req.body.empty()) {
               auto body = http::ParseJsonObject(req);
               if (!body) return std::move(body).error();
               const auto& o = *body;
               if (const auto* v = o.if_contains("name"); v != nullptr && !v->is_null()) {
                 if (!v->is_string()) return http::MakeError(http::ErrorKind::kValidation, "name must be a string");
                 name = std::string(v->as_string());
               }
             }
             auto copy = configs.Duplicate(who.user_id, std::string(*req.Param("id")), name);
             if (!copy) return ToApiError(copy.error());
             return http::JsonReply(201, {{"config", ConfigJson(*copy)}});
           }));

  // The gallery.
  site.Add(http::Method::kGet, "/api/gallery",
           ctx.Authed(rule, [&configs](http::Request& req, const Principal&) -> http::Reply {
             auto page = ReadPage(req, 20);
             if (!page) return std::move(page).error();
             const auto& p = *page;
             core::assistants::GalleryQuery q;
             q.search = req.QueryParam("search").value_or("");
             q.model_id = req.QueryParam("model").value_or("");
             if (const auto tags = req.QueryParam("tags")) {
               std::size_t start = 0;
               while (start <= tags->size()) {
                 const std::size_t comma = std::min(tags->find(',', start), tags->size());
                 std::string tag = tags->substr(start, comma - start);
                 tag.erase(0, tag.find_first_not_of(' '));
                 tag.erase(tag.find_last_not_of(' ') + 1);
                 std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return std::tolower(c); });
                 if (!tag.empty()) q.tags.push_back(std::move(tag));
                 start = comma + 1;
               }
             }
             const std::string sort = req.QueryParam("sort").value_or("uses_count");
             if (sort == "uses_count" || sort.empty()) {
               q.sort = GallerySort::kUses;
             } else if (sort == "saves_count") {
               q.sort = GallerySort::kSaves;
             } else if (sort == "created_at") {
               q.sort = GallerySort::kNewest;
             } else {
               return http::MakeError(http::ErrorKind::kBadRequest,
                                      "sort must be one of uses_count, saves_count, created_at");
             }
             q.limit = p.limit;
             q.offset = p.offset();
             auto found = configs.Browse(q);
             if (!found) return ToApiError(found.error());
             return http::JsonReply(200, Listing("configs", ConfigsJson(found->items), found->total, p));
           }));

  site.Add(http::Method::kGet, "/api/gallery/templates",
           ctx.Authed(rule, [&configs](http::Request& req, const Principal&) -> http::Reply {
             auto page = ReadPage(req, 50);
             if (!page) return std::move(page).error();
             const auto& p = *page;
             auto found = configs.ListTemplates(p.limit, p.offset());
             if (!found) return ToApiError(found.error());
             return http::JsonReply(200, Listing("templates", ConfigsJson(found->items), found->total, p));
           }));

  site.Add(http::Method::kGet, "/api/gallery/saved",
           ctx.Authed(rule, [&configs](http::Request&, const Principal& who) -> http::Reply {
             auto saved = configs.Saved(who.user_id);
             if (!saved) return ToApiError(saved.error());
             return http::JsonReply(200, {{"configs", ConfigsJson(*saved)}});
           }));

  site.Add(http::Method::kGet, "/api/gallery/:id",
           ctx.Authed(rule, [&configs](http::Request& req, const Principal&) -> http::Reply {
             auto found = configs.GetShared(std::string(*req.Param("id")));
             if (!found) return ToApiError(found.error());
             return http::JsonReply(200, {{"config", ConfigJson(*found)}});
           }));

  site.Add(http::Method::kPost, "/api/gallery/:id/save",
           ctx.Authed(rule, [&configs](http::Request& req, const Principal& who) -> http::Reply {
             if (auto saved = configs.Save(who.user_id, std::string(*req.Param("id"))); !saved) {
               return ToApiError(saved.error());
             }
             return Message(200, "Config saved to your collection");
           }));

  site.Add(http::Method::kPost, "/api/gallery/:id/unsave",
           ctx.Authed(rule, [&configs](http::Request& req, const Principal& who) -> http::Reply {
             if (auto removed = configs.Unsave(who.user_id, std::string(*req.Param("id"))); !removed) {
               return ToApiError(removed.error());
             }
             return Message(200, "Config removed from your collection");
           }));

  site.Add(
      http::Method::kPost, "/api/gallery/:id/use",
      ctx.Authed(rule, [&configs](http::Request& req, const Principal& who) -> http::Reply {
        auto copy = configs.Use(who.user_id, std::string(*req.Param("id")));
        if (!copy) return ToApiError(copy.error());
        return http::JsonReply(200, {{"config", ConfigJson(*copy)}, {"message", "Config copied to your collection"}});
      }));
}

}  // namespace atrium::dialects::unichat
