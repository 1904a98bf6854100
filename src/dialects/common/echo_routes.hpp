#pragma once
// Echo test mode (`testing.echo_routes = true`, never on by default): endpoints that
// exercise the real-time transports without any domain logic, for protocol tests.
//   GET /__atrium/echo/sse?count=N&interval_ms=M   N `message` events, then `done`
//   WS  /__atrium/echo/ws                           echoes every message back

#include "http/site.hpp"

namespace atrium::dialects {

void AddEchoRoutes(http::Site& site);

}  // namespace atrium::dialects
