#pragma once
// WS /ws/{network_id}?token= (mira-network-api.md, "WebSocket Communication"): one
// client's live channel to its network. The client's `handshake` is answered with
// `handshake_ack`, `heartbeat` with `heartbeat_ack`; events published on the network's
// bus topic (topics::Network) are relayed as they are, their type being the spec's
// message type ("interaction_created", "client_joined", ...). The connection ends when
// the session its token belongs to is revoked or the token expires: an `error` message
// (UNAUTHORIZED) and then close code 4001 with reason "session_revoked" or
// "token_expired".

#include <functional>
#include <memory>
#include <string>

#include "core/identity/session_revocation.hpp"
#include "dialects/mira/deps.hpp"
#include "http/site.hpp"
#include "http/websocket.hpp"

namespace atrium::dialects::mira {

class NetworkSocket final : public http::WebSocketHandler {
 public:
  NetworkSocket(const Deps& services, std::string network_id, core::identity::Principal principal);
  ~NetworkSocket() override;

  void OnOpen(std::shared_ptr<http::WebSocketConnection> connection) override;
  void OnText(std::string_view text) override;
  void OnBinary(std::string_view bytes) override;
  void OnClose(int code) override;

 private:
  void Error(std::string_view code, std::string_view message);
  void Drain();
  // Thread-safe: the error message, then close 4001 with `reason`.
  void End(std::string_view reason, std::string_view message);

  const Deps& services_;
  std::string network_id_;
  core::identity::Principal principal_;
  std::shared_ptr<http::WebSocketConnection> connection_;
  std::unique_ptr<core::identity::SessionWatch> session_watch_;
  std::unique_ptr<core::events::Subscription> subscription_;  // last: goes first
};

// Whether a network exists. The core has no network store yet, so none does and every
// connection is refused with the spec's INVALID_NETWORK_ID after its token was checked.
using NetworkLookup = std::function<bool(std::string_view network_id)>;

void AddNetworkSocketRoute(http::Site& site, const Deps& services, NetworkLookup lookup);

}  // namespace atrium::dialects::mira
