#pragma once
// Serving an Engine.IO endpoint: the handshake and the request checks (with the
// reference server's error bodies), long-polling GET/POST, and the WebSocket transport
// with the upgrade from polling.

#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

#include "http/request.hpp"
#include "http/response.hpp"
#include "transport/engineio/engine_registry.hpp"
#include "transport/engineio/engine_session.hpp"
#include "transport/http/server_impl.hpp"

namespace atrium::transport {

// A plain (non-upgrade) request: handshake, poll or post.
asio::awaitable<http::Response> ServeEnginePolling(Server::Impl& server, EngineRegistry& registry,
                                                   const http::Request& request);

// Checks an upgrade request. An error response, or nothing (then `existing` is the
// session being upgraded, or null for a new WebSocket-only session).
std::optional<http::Response> VerifyEngineUpgrade(EngineRegistry& registry, const http::Request& request,
                                                  std::shared_ptr<EngineSession>& existing);

// Completes the WebSocket handshake and serves the session over it until it closes.
asio::awaitable<void> RunEngineWebSocket(Server::Impl& server, beast::tcp_stream& stream, SessionControl& control,
                                         beast::http::request<beast::http::string_body> upgrade,
                                         EngineRegistry& registry, std::shared_ptr<EngineSession> existing,
                                         const http::Request& request);

}  // namespace atrium::transport
