#pragma once
// Writing a streamed (chunked) response: the transport's side of http::StreamWriter.

#include "http/response.hpp"
#include "transport/http/server_impl.hpp"

namespace atrium::transport {

// Sends `response`'s header, starts its producer and relays what it writes until it
// closes or the client goes away. The connection is closed afterwards. `control` lets a
// graceful shutdown end the stream early.
// For a stream whose `await_start` is set: waits (on this event loop, holding no worker
// thread) until the producer says whether the stream starts. nullopt: it does; an
// error: answer that instead (also when the wait timed out or the server is stopping).
asio::awaitable<std::optional<http::ApiError>> AwaitStreamStart(Server::Impl& server, SessionControl& control,
                                                                const http::StreamBody& body);

asio::awaitable<void> WriteStreamedResponse(Server::Impl& server, beast::tcp_stream& stream, SessionControl& control,
                                            http::Response response);

}  // namespace atrium::transport
