#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/health/health_service.hpp"
#include "dialects/unichat/unichat.hpp"
#include "dialects/unichat/unichat_context.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unichat {

void AddRoutes(http::Site& site, const Deps& services) {
  site.Add(http::Method::kGet, "/api/health",
           [&services](http::Request&) -> http::Reply {
             return http::JsonReply(200, {{"status", "healthy"},
                                          {"timestamp", core::FormatRfc3339(services.clock.Now())},
                                          {"version", services.health.version()}});
           },
           {.blocking = false});

  const Context ctx(services);  // handlers copy what they need from it
  AddAuthRoutes(site, ctx);
  AddUserRoutes(site, ctx);
  AddConfigRoutes(site, ctx);
  AddPromptTemplateRoutes(site, ctx);
  AddAdminRoutes(site, ctx);
  AddImageRoutes(site, ctx);
  AddArenaRoutes(site, ctx);
  AddConversationRoutes(site, ctx);
  AddChatRoutes(site, ctx);
  AddModelRoutes(site, ctx);
  AddAnalyticsRoutes(site, ctx);
  AddSocketRoutes(site, services);
}

}  // namespace atrium::dialects::unichat
