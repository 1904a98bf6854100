// POST /api/conversation/:id/export {format} (second-brain-api.md, "Export
// Conversation") and the download it links to. The link is
//   /downloads/<conversation id>.<json|md|pdf>?expires=<unix seconds>&signature=<HMAC>
// signed for the user who asked and valid for an hour (core/export/export_service.hpp);
// following it needs that user's access token too, so a leaked link is no use to anyone
// else, and another user (or a changed, expired or forged link) gets 404. The file is
// rendered from the conversation when it is downloaded.

#include <boost/json.hpp>
#include <charconv>

#include "core/export/export_service.hpp"
#include "dialects/common/download.hpp"
#include "dialects/secondbrain/context.hpp"
#include "dialects/secondbrain/secondbrain.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::secondbrain {

namespace {

namespace json = boost::json;
using core::identity::Principal;

std::optional<std::int64_t> Integer(std::string_view text) {
  std::int64_t n = 0;
  const auto* end = text.data() + text.size();
  const auto [at, ec] = std::from_chars(text.data(), end, n);
  if (ec != std::errc() || at != end) return std::nullopt;
  return n;
}

}  // namespace

void AddExportRoutes(http::Site& site, const Context& ctx) {
  const Deps& services = ctx.services();
  const auto& general = ctx.rules().general;

  AddApi(site, http::Method::kPost, "/conversation/:id/export",
         ctx.Authed(general, [&services](http::Request& req, const Principal& who) -> http::Reply {
           auto body = http::ParseJsonObject(req);
           if (!body) return std::move(body).error();
           const auto* format = body->if_contains("format");
           std::optional<core::exports::ExportFormat> parsed;
           if (format != nullptr && format->is_string()) parsed = core::exports::ParseExportFormat(format->as_string());
           if (!parsed) {
             return FieldError("format", "format must be one of: json, markdown, pdf",
                               format ? std::optional<json::value>(*format) : std::nullopt);
           }
           auto link = services.exports.Create(who.user_id, std::string(req.Param("id").value_or("")), *parsed);
           if (!link) return ToApiError(link.error());
           std::string url = "/downloads/" + link->file_name + "?expires=" + std::to_string(link->expires_unix) +
                             "&signature=" + link->signature;
           return http::JsonReply(200, {{"downloadUrl", std::move(url)}, {"expiresAt", link->expires_at}});
         }));

  // Outside /api: the path the spec's example shows.
  site.Add(http::Method::kGet, "/downloads/:file",
           ctx.Authed(general, [&services](http::Request& req, const Principal& who) -> http::Reply {
             const std::string file(req.Param("file").value_or(""));
             const auto expires = Integer(req.QueryParam("expires").value_or(""));
             const std::string signature = req.QueryParam("signature").value_or("");
             if (!expires || signature.empty()) {
               return ToApiError(core::Error(core::ErrorCode::kNotFound, "Export not found or its link has expired")
                                     .WithReason(core::Reason::kExportNotFound));
             }
             auto opened = services.exports.Open(who.user_id, file, *expires, signature);
             if (!opened) return ToApiError(opened.error());
             return Download(200, std::move(opened->bytes), opened->content_type,
                             {.disposition = "attachment; filename=\"" + opened->file_name + "\"",
                              .cache_control = "private, no-store"});
           }));
}

}  // namespace atrium::dialects::secondbrain
