#pragma once
// A WebSocket connection after a successful upgrade: reads frames into the dialect's
// handler and writes its bounded queue of outgoing messages.

#include <boost/beast/http.hpp>
#include <memory>

#include "http/websocket.hpp"
#include "transport/http/server_impl.hpp"

namespace atrium::transport {

// Completes the handshake for `upgrade` and serves the connection until it closes.
asio::awaitable<void> RunWebSocket(Server::Impl& server, beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                   SessionControl& control, beast::http::request<beast::http::string_body> upgrade,
                                   std::unique_ptr<http::WebSocketHandler> handler, http::WebSocketOptions options);

}  // namespace atrium::transport
