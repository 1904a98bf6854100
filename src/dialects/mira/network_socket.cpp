#include "dialects/mira/network_socket.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/events/event_bus.hpp"
#include "core/identity/identity_service.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::mira {

namespace json = boost::json;

namespace {

// A network topic's event as one frame, {"type": ..., fields...}; nullopt to skip it.
// Only published JSON objects reach network topics today; the core's own events are
// listed so that a new one is a decision here.
struct Frame {
  using Out = std::optional<json::object>;
  Out operator()(const core::events::OpaqueJson& e) const {
    boost::system::error_code ec;
    auto payload = json::parse(e.json, ec);
    if (ec || !payload.is_object()) return std::nullopt;
    json::object out{{"type", e.type}};
    for (auto& kv : payload.as_object()) out[kv.key()] = kv.value();
    return out;
  }
  Out operator()(const core::chat::MessageStarted&) const { return std::nullopt; }
  Out operator()(const core::chat::MessageDelta&) const { return std::nullopt; }
  Out operator()(const core::chat::MessageDone&) const { return std::nullopt; }
  Out operator()(const core::chat::MessageError&) const { return std::nullopt; }
  Out operator()(const core::chat::ConversationTitle&) const { return std::nullopt; }
  Out operator()(const core::chat::TurnCancelRequested&) const { return std::nullopt; }  // never relayed
  Out operator()(const core::identity::SessionsRevoked&) const { return std::nullopt; }
  Out operator()(const core::logs::ClientLogReceived&) const { return std::nullopt; }
  Out operator()(const core::jobs::JobUpdated&) const { return std::nullopt; }
  Out operator()(const core::memory::MemoryChanged&) const { return std::nullopt; }
};

}  // namespace

NetworkSocket::NetworkSocket(const Deps& services, std::string network_id, core::identity::Principal principal)
    : services_(services), network_id_(std::move(network_id)), principal_(std::move(principal)) {}

NetworkSocket::~NetworkSocket() {
  subscription_.reset();
  session_watch_.reset();
}

void NetworkSocket::OnOpen(std::shared_ptr<http::WebSocketConnection> connection) {
  connection_ = std::move(connection);
  // On the publisher's thread; SendText and Close are thread-safe and do not block.
  session_watch_ = std::make_unique<core::identity::SessionWatch>(
      services_.events, principal_,
      [this](core::identity::RevocationCause) { End("session_revoked", "Session has been revoked"); });
  if (auto left = core::identity::ExpiresInMs(principal_, services_.clock.Now())) {
    connection_->CloseAfter(std::chrono::milliseconds(*left), http::kCloseUnauthorized, "token_expired");
  }
  subscription_ = services_.events.Subscribe({core::events::topics::Network(network_id_)},
                                             {256, core::events::OverflowPolicy::kDisconnect});
  subscription_->SetNotifier([this] { Drain(); });
}

void NetworkSocket::OnText(std::string_view text) {
  boost::system::error_code ec;
  const auto message = json::parse(text, ec);
  const json::object* o = (!ec && message.is_object()) ? &message.as_object() : nullptr;
  const json::value* type = o ? o->if_contains("type") : nullptr;
  if (type == nullptr || !type->is_string()) {
    Error("INVALID_MESSAGE", "Messages must be JSON objects with a string \"type\"");
    return;
  }
  const auto now = core::FormatRfc3339(services_.clock.Now());
  if (type->as_string() == "handshake") {
    connection_->SendText(http::ToJsonText(json::object{{"type", "handshake_ack"},
                                                        {"status", "connected"},
                                                        {"server_time", now},
                                                        {"features", json::array{"notifications", "context_sync"}}}));
    return;
  }
  if (type->as_string() == "heartbeat") {
    connection_->SendText(http::ToJsonText(json::object{{"type", "heartbeat_ack"}, {"server_time", now}}));
    return;
  }
  Error("UNSUPPORTED_MESSAGE_TYPE", "Unsupported message type");
}

void NetworkSocket::OnBinary(std::string_view) { Error("INVALID_MESSAGE", "Binary messages are not supported"); }

void NetworkSocket::OnClose(int) {
  subscription_.reset();
  session_watch_.reset();
}

void NetworkSocket::End(std::string_view reason, std::string_view message) {
  connection_->SendText(http::ToJsonText(json::object{{"type", "error"},
                                                      {"error_code", "UNAUTHORIZED"},
                                                      {"message", message},
                                                      {"timestamp", core::FormatRfc3339(services_.clock.Now())}}));
  connection_->Close(http::kCloseUnauthorized, std::string(reason));
}

void NetworkSocket::Error(std::string_view code, std::string_view message) {
  connection_->SendText(http::ToJsonText(json::object{{"type", "error"},
                                                      {"error_code", code},
                                                      {"message", message},
                                                      {"timestamp", core::FormatRfc3339(services_.clock.Now())}}));
}

void NetworkSocket::Drain() {
  if (subscription_->overflowed()) {
    connection_->Close(http::kCloseTryAgainLater, "fell behind");  // missed events: the client resynchronises
    return;
  }
  while (auto event = subscription_->TryPop()) {
    if (auto frame = std::visit(Frame{}, event->payload)) connection_->SendText(http::ToJsonText(*frame));
  }
}

void AddNetworkSocketRoute(http::Site& site, const Deps& services, NetworkLookup lookup) {
  http::WebSocketRoute route;
  route.accept = [&services, lookup = std::move(lookup)](
                     http::Request& request) -> http::Result<std::unique_ptr<http::WebSocketHandler>> {
    // Runs on a worker thread: the token check may read storage.
    const auto token = request.QueryParam("token");
    if (!token || token->empty()) {
      http::ApiError e = http::MakeError(http::ErrorKind::kUnauthorized, "Authentication required");
      e.reason = core::Reason::kMissingToken;
      return e;
    }
    auto principal = services.identity.Authenticate(*token);
    if (!principal) return http::FromCoreError(principal.error());
    const std::string network_id(request.Param("network_id").value_or(""));
    if (!lookup(network_id)) {
      http::ApiError e = http::MakeError(http::ErrorKind::kNotFound, "Network ID not found or invalid");
      e.code = "INVALID_NETWORK_ID";
      e.details["network_id"] = network_id;
      return e;
    }
    return std::make_unique<NetworkSocket>(services, network_id, std::move(*principal));
  };
  route.options.max_message_bytes = 1 << 20;  // audio buffers travel base64-encoded
  site.AddWebSocket("/ws/{network_id}", std::move(route));
}

}  // namespace atrium::dialects::mira
