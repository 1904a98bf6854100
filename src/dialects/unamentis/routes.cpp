#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/health/health_service.hpp"
#include "dialects/unamentis/unamentis.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::unamentis {

void AddRoutes(http::Site& site, const Deps& services) {
  // Liveness: answered on the I/O thread, touches nothing that can block.
  site.Add(http::Method::kGet, "/health",
           [&services](http::Request&) -> http::Reply {
             boost::json::object body;
             body["status"] = "healthy";
             body["server_time"] = core::FormatRfc3339(services.clock.Now());
             body["uptime_seconds"] = services.health.Uptime().count();
             body["version"] = services.health.version();
             return http::JsonReply(200, body);
           },
           {.blocking = false});
  AddClientLogRoutes(site, services);
  AddMediaRoutes(site, services);
  AddWebSocketRoutes(site, services);
  AddAuthRoutes(site, services);
}

}  // namespace atrium::dialects::unamentis
