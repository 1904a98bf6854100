// /api/image-gen/*: generate images through the gateway, and each user's history.

#include <boost/json.hpp>

#include "core/codec/base64.hpp"
#include "core/images/image_service.hpp"
#include "dialects/common/download.hpp"
#include "dialects/common/fields.hpp"
#include "dialects/unichat/paging.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/json_body.hpp"
#include "http/query_params.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::identity::Principal;
using core::images::GeneratedImage;

// Reference images can be large: ten of 10 MiB in base64.
constexpr std::size_t kGenerateBodyLimit = 64 * 1024 * 1024;

json::object ImageJson(const GeneratedImage& g) {
  json::object usage;
  if (g.usage.images > 0) usage["images"] = g.usage.images;
  return {{"id", g.id},
          {"user_id", g.user_id},
          {"prompt", g.prompt},
          {"model_id", g.model_id},
          {"negative_prompt", g.negative_prompt},
          {"is_favorite", g.is_favorite},
          {"settings", {{"input_images_count", g.input_images_count}, {"has_input_images", g.input_images_count > 0}}},
          {"metadata", {{"generation_time_ms", g.generation_time_ms}, {"usage", std::move(usage)}}},
          {"image_url", "/api/image-gen/" + g.id + "/image"},
          {"mime_type", g.mime},
          {"size_bytes", g.size_bytes},
          {"created_at", g.created_at}};
}

std::string DataUri(const GeneratedImage& g, std::string_view bytes) {
  return "data:" + g.mime + ";base64," + core::Base64Encode(bytes);
}

http::ApiError Bad(std::string message) { return http::MakeError(http::ErrorKind::kValidation, std::move(message)); }

http::Result<core::images::ImageSpec> ParseSpec(const json::object& o) {
  core::images::ImageSpec spec;
  for (auto [key, slot, required] : {std::tuple{"prompt", &spec.prompt, true}, std::tuple{"model", &spec.model, true},
                                     std::tuple{"negative_prompt", &spec.negative_prompt, false}}) {
    auto field = StringField(o, key);
    if (field.absent()) {
      if (required) return Bad(std::string(key) + " is required");
      continue;
    }
    if (field.wrong_type()) return Bad(std::string(key) + " must be a string");
    *slot = std::move(field.value);
  }
  if (const auto* v = o.if_contains("input_images"); v != nullptr && !v->is_null()) {
    if (!v->is_array()) return Bad("input_images must be an array of data URIs or URLs");
    for (const auto& item : v->as_array()) {
      if (!item.is_string()) return Bad("input_images must be an array of data URIs or URLs");
      spec.input_images.emplace_back(item.as_string());
    }
  }
  return spec;
}

}  // namespace

void AddImageRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  auto& images = services.images;
  const auto& rule = ctx.rules().other;

  site.Add(http::Method::kGet, "/api/image-gen/models",
           ctx.Authed(rule, [&images](http::Request&, const Principal&) -> http::Reply {
             json::array models;
             for (const auto& id : images.models()) {
               models.emplace_back(json::object{{"id", id}, {"name", id}, {"description", ""}, {"pricing", nullptr}});
             }
             return http::JsonReply(200, {{"models", std::move(models)}});
           }));

  site.Add(http::Method::kPost, "/api/image-gen/generate",
           ctx.Authed(ctx.rules().chat,
                      [&images](http::Request& req, const Principal& who) -> http::Reply {
                        auto body = http::ParseJsonObject(req);
                        if (!body) return std::move(body).error();
                        auto spec = ParseSpec(*body);
                        if (!spec) return std::move(spec).error();
                        auto made = images.Generate(who.user_id, std::move(*spec));
                        if (!made) return ToApiError(made.error());
                        return http::JsonReply(200, {{"image", ImageJson(made->first)},
                                                     {"image_data", DataUri(made->first, made->second)}});
                      }),
           {.body_limit = kGenerateBodyLimit});

  site.Add(http::Method::kGet, "/api/image-gen/history",
           ctx.Authed(rule, [&images](http::Request& req, const Principal& who) -> http::Reply {
             auto page = ReadPage(req, 20);
             if (!page) return std::move(page).error();
             auto favorites = http::BoolParam(req, "favorites", false);
             if (!favorites) return std::move(favorites).error();
             const auto& p = *page;
             auto found = images.History(who.user_id, *favorites, p.limit, p.offset());
             if (!found) return ToApiError(found.error());
             json::array list;
             for (const auto& g : found->images) list.emplace_back(ImageJson(g));
             const std::int64_t pages = (found->total + p.limit - 1) / p.limit;
             return http::JsonReply(200, {{"images", std::move(list)},
                                          {"total", found->total},
                                          {"page", p.page},
                                          {"limit", p.limit},
                                          {"pages", pages}});
           }));

  site.Add(http::Method::kGet, "/api/image-gen/:id/image",
           ctx.Authed(rule, [&images](http::Request& req, const Principal& who) -> http::Reply {
             auto found = images.Read(who.user_id, std::string(*req.Param("id")));
             if (!found) return ToApiError(found.error());
             return Download(200, std::move(found->second), found->first.mime,
                             {.disposition = std::nullopt, .cache_control = "private, max-age=86400"});
           }));

  site.Add(http::Method::kDelete, "/api/image-gen/:id",
           ctx.Authed(rule, [&images](http::Request& req, const Principal& who) -> http::Reply {
             if (auto gone = images.Delete(who.user_id, std::string(*req.Param("id"))); !gone) {
               return ToApiError(gone.error());
             }
             return http::JsonReply(200, {{"message", "Image deleted"}});
           }));

  site.Add(http::Method::kPost, "/api/image-gen/:id/favorite",
           ctx.Authed(rule, [&images](http::Request& req, const Principal& who) -> http::Reply {
             auto state = images.ToggleFavorite(who.user_id, std::string(*req.Param("id")));
             if (!state) return ToApiError(state.error());
             return http::JsonReply(200, {{"is_favorite", *state}});
           }));
}

}  // namespace atrium::dialects::unichat
