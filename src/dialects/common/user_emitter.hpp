#pragma once
// Socket.IO events for every socket of one user, whichever instance holds them. An
// event goes to the local sockets in the user's room (named after the user's bus topic)
// through the namespace of the socket that asked, kept until the work ends even if
// that socket leaves meanwhile. When the bus is shared and the user may have sockets
// on another instance, each event is also published there, as an OpaqueJson
// "<prefix><event>" on the user's topic, which RelayRemoteCopy turns back into the
// event; the local sockets are never sent it twice.

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/events/event_bus.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects {

class UserEmitter {
 public:
  // `prefix` names the dialect ("unichat.", "secondbrain."): another dialect's copies
  // are not its events.
  UserEmitter(std::shared_ptr<http::socketio::Socket> via, core::events::EventBus& bus, std::string_view prefix);
  void operator()(std::string_view event, boost::json::object payload) const;

 private:
  std::shared_ptr<http::socketio::Socket> via_;
  core::events::EventBus* bus_;
  std::string room_;
  std::string prefix_;
};

// The event a UserEmitter published for this instance's sockets: only one that came
// from another instance (event.remote) with the dialect's `prefix`.
std::optional<http::socketio::RelayedEvent> RelayRemoteCopy(const core::events::Event& event, std::string_view prefix);

}  // namespace atrium::dialects
