// Memory management (second-brain-api.md, "Memory Management"): save, recall, search,
// update and delete through the core's MemoryService, owner-scoped (another user's
// memory is 404), counted against the spec's Memory Operations limit. relevanceScore
// and matchScore are the core's (core/memory/memory_ranking.hpp, docs/dialects.md).

#include <boost/json.hpp>
#include <cmath>

#include "core/memory/memory_service.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/paging.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::secondbrain {

namespace {

namespace json = boost::json;
using core::identity::Principal;
using core::memory::Memory;

json::array Tags(const std::vector<std::string>& tags) {
  json::array a;
  for (const auto& t : tags) a.emplace_back(t);
  return a;
}

json::value OptionalText(const std::optional<std::string>& s) {
  return s ? json::value(SpecTimestamp(*s)) : json::value(nullptr);
}

json::object MemoryJson(const Memory& m) {
  return {{"id", m.id},
          {"content", m.content},
          {"type", core::memory::TypeName(m.type)},
          {"importance", m.importance},
          {"tags", Tags(m.tags)},
          {"source", m.source ? json::value(*m.source) : json::value(nullptr)},
          {"origin", core::memory::OriginName(m.origin)},
          {"createdAt", SpecTimestamp(m.created_at)},
          {"updatedAt", SpecTimestamp(m.updated_at)},
          {"lastAccessed", OptionalText(m.last_accessed)},
          {"accessCount", m.access_count}};
}

http::Result<std::optional<core::memory::MemoryType>> TypeField(const json::object& body) {
  const auto* t = body.if_contains("type");
  if (t == nullptr || t->is_null()) return std::optional<core::memory::MemoryType>{};
  std::optional<core::memory::MemoryType> type;
  if (t->is_string()) type = core::memory::TypeFromName(t->as_string());
  if (!type) return FieldError("type", "type must be one of: fact, preference, event", *t);
  return type;
}

http::Result<std::optional<double>> ImportanceField(const json::object& body) {
  const auto* v = body.if_contains("importance");
  if (v == nullptr || v->is_null()) return std::optional<double>{};
  double d = -1;
  if (v->is_double()) d = v->as_double();
  if (v->is_int64()) d = static_cast<double>(v->as_int64());
  if (v->is_uint64()) d = static_cast<double>(v->as_uint64());
  if (!std::isfinite(d) || d < 0 || d > 1) return FieldError("importance", "importance must be a number from 0 to 1", *v);
  return std::optional<double>{d};
}

http::Result<std::optional<std::vector<std::string>>> TagsField(const json::object& body) {
  const auto* v = body.if_contains("tags");
  if (v == nullptr || v->is_null()) return std::optional<std::vector<std::string>>{};
  if (!v->is_array()) return FieldError("tags", "tags must be an array of strings");
  std::vector<std::string> tags;
  for (const auto& t : v->as_array()) {
    if (!t.is_string()) return FieldError("tags", "tags must be an array of strings");
    tags.emplace_back(t.as_string());
  }
  auto clean = core::memory::CleanTags(tags);
  if (!clean) return FieldError("tags", clean.error().safe_message());
  return std::optional<std::vector<std::string>>{std::move(*clean)};
}

http::Result<std::optional<std::string>> ContentField(const json::object& body, bool required) {
  const auto* v = body.if_contains("content");
  if (v == nullptr || v->is_null()) {
    if (required) return FieldError("content", "content is required");
    return std::optional<std::string>{};
  }
  if (!v->is_string()) return FieldError("content", "content must be a string");
  auto clean = core::memory::CleanContent(v->as_string());
  if (!clean) return FieldError("content", clean.error().safe_message());
  return std::optional<std::string>{std::move(*clean)};
}

http::Result<std::optional<core::memory::MemoryType>> TypeParam(const http::Request& req) {
  auto t = req.QueryParam("type");
  if (!t || t->empty()) return std::optional<core::memory::MemoryType>{};
  auto type = core::memory::TypeFromName(*t);
  if (!type) return FieldError("type", "type must be one of: fact, preference, event", json::value(*t));
  return std::optional<core::memory::MemoryType>{type};
}

}  // namespace

void AddMemoryRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  const auto& rule = ctx.rules().memory;

  AddApi(site, http::Method::kPost, "/memory/save",
         ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
           auto body = http::ParseJsonObject(req);
           if (!body) return std::move(body).error();
           auto content = ContentField(*body, true);
           if (!content) return std::move(content).error();
           auto type = TypeField(*body);
           if (!type) return std::move(type).error();
           auto importance = ImportanceField(*body);
           if (!importance) return std::move(importance).error();
           auto tags = TagsField(*body);
           if (!tags) return std::move(tags).error();
           core::memory::NewMemory m;
           m.content = **content;
           m.type = type->value_or(core::memory::MemoryType::kFact);
           m.importance = importance->value_or(0.5);
           m.tags = tags->value_or(std::vector<std::string>{});
           if (const auto* source = body->if_contains("source"); source != nullptr && !source->is_null()) {
             if (!source->is_string()) return FieldError("source", "source must be a string");
             m.source = std::string(source->as_string());
           }
           auto saved = services.memory.Save(who.user_id, std::move(m));
           if (!saved) return ToApiError(saved.error());
           return http::JsonReply(201, {{"memory", MemoryJson(*saved)}});
         }));

  AddApi(site, http::Method::kGet, "/memory/recall",
         ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
           core::memory::RecallQuery q;
           q.query = req.QueryParam("query").value_or("");
           if (q.query.size() > 1000) return FieldError("query", "query must be at most 1000 bytes");
           if (auto limit = req.QueryParam("limit")) {
             std::int64_t n = 0;
             try {
               std::size_t used = 0;
               n = std::stoll(*limit, &used);
               if (used != limit->size()) n = 0;
             } catch (const std::exception&) {
               n = 0;
             }
             if (n < 1 || n > 50) return FieldError("limit", "limit must be an integer from 1 to 50", json::value(*limit));
             q.limit = n;
           }
           auto type = TypeParam(req);
           if (!type) return std::move(type).error();
           q.type = *type;
           auto recalled = services.memory.Recall(who.user_id, q);
           if (!recalled) return ToApiError(recalled.error());
           json::array list;
           for (const auto& r : *recalled) {
             json::object o = MemoryJson(r.memory);
             o["relevanceScore"] = r.relevance;
             list.push_back(std::move(o));
           }
           const auto found = static_cast<std::int64_t>(list.size());
           return http::JsonReply(200, {{"memories", std::move(list)}, {"totalFound", found}});
         }));

  AddApi(site, http::Method::kGet, "/search",
         ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
           core::memory::SearchQuery q;
           q.q = req.QueryParam("q").value_or("");
           if (q.q.empty()) return FieldError("q", "q is required");
           if (q.q.size() > 1000) return FieldError("q", "q must be at most 1000 bytes");
           auto paging = ReadPaging(req, 10);
           if (!paging) return std::move(paging).error();
           q.page = paging->page;
           q.limit = paging->limit;
           auto type = TypeParam(req);
           if (!type) return std::move(type).error();
           q.type = *type;
           if (auto tags = req.QueryParam("tags"); tags && !tags->empty()) {
             std::string_view rest = *tags;
             while (!rest.empty()) {
               const auto comma = rest.find(',');
               std::string tag(rest.substr(0, comma));
               if (!tag.empty()) q.tags.push_back(std::move(tag));
               if (comma == std::string_view::npos) break;
               rest.remove_prefix(comma + 1);
             }
             auto clean = core::memory::CleanTags(q.tags);
             if (!clean) return FieldError("tags", clean.error().safe_message(), json::value(*tags));
             q.tags = std::move(*clean);
           }
           auto page = services.memory.Search(who.user_id, q);
           if (!page) return ToApiError(page.error());
           json::array results;
           for (const auto& r : page->items) {
             results.push_back(json::object{{"id", r.memory.id},
                                            {"content", r.memory.content},
                                            {"type", core::memory::TypeName(r.memory.type)},
                                            {"importance", r.memory.importance},
                                            {"tags", Tags(r.memory.tags)},
                                            {"matchScore", r.match_score},
                                            {"highlightedContent", r.highlighted_html},
                                            {"createdAt", SpecTimestamp(r.memory.created_at)}});
           }
           return http::JsonReply(200,
                                  {{"results", std::move(results)}, {"pagination", PaginationJson(page->total, *paging)}});
         }));

  AddApi(site, http::Method::kPut, "/memory/:id",
         ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
           auto body = http::ParseJsonObject(req);
           if (!body) return std::move(body).error();
           core::memory::MemoryPatch patch;
           auto content = ContentField(*body, false);
           if (!content) return std::move(content).error();
           patch.content = std::move(*content);
           auto type = TypeField(*body);
           if (!type) return std::move(type).error();
           patch.type = *type;
           auto importance = ImportanceField(*body);
           if (!importance) return std::move(importance).error();
           patch.importance = *importance;
           auto tags = TagsField(*body);
           if (!tags) return std::move(tags).error();
           patch.tags = std::move(*tags);
           auto updated = services.memory.Update(who.user_id, std::string(req.Param("id").value_or("")), std::move(patch));
           if (!updated) return ToApiError(updated.error());
           return http::JsonReply(200, {{"memory", MemoryJson(*updated)}});
         }));

  AddApi(site, http::Method::kDelete, "/memory/:id",
         ctx.Authed(rule, [&services](http::Request& req, const Principal& who) -> http::Reply {
           const std::string id(req.Param("id").value_or(""));
           auto deleted = services.memory.Delete(who.user_id, id);
           if (!deleted) return ToApiError(deleted.error());
           return http::JsonReply(200, {{"message", "Memory deleted successfully"}, {"deletedId", id}});
         }));
}

}  // namespace atrium::dialects::secondbrain
