#pragma once
// Echo test mode for Engine.IO and Socket.IO (`testing.echo_routes = true`, never on by
// default), so the protocol test suites and client tests can run against Atrium:
//   /__atrium/echo/engine.io/   Engine.IO sessions that echo every message (text, binary)
//   /__atrium/echo/socket.io/   Socket.IO, namespaces "/" and "/custom", anyone may join:
//     on connect        emits `auth` with the CONNECT payload
//     `message`         answered with `message-back` and the same arguments (binary too)
//     `message-with-ack` and any other event with an ack: acked with the same arguments
//     `ping`            acked with "pong"
//     `join` [name]     joins the room of bus topic broadcast:<name>, whose events are
//                       relayed as (type, payload)
//     `publish` [name, type, payload]   publishes on the bus to broadcast:<name>
//     `broadcast` [count, payload]       emits `tick` payload count times to the namespace
//     `leave-namespace` the server disconnects the socket from the namespace

#include <memory>

#include "dialects/common/deps.hpp"
#include "http/site.hpp"

namespace atrium::dialects {

void AddSocketIoEchoRoutes(http::Site& site, const CommonDeps& services);

}  // namespace atrium::dialects
