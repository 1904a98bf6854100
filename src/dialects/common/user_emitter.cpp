#include "dialects/common/user_emitter.hpp"

#include <boost/json.hpp>

#include "http/json_body.hpp"

namespace atrium::dialects {

namespace json = boost::json;
namespace sio = http::socketio;

UserEmitter::UserEmitter(std::shared_ptr<sio::Socket> via, core::events::EventBus& bus, std::string_view prefix)
    : via_(std::move(via)),
      bus_(&bus),
      room_(core::events::topics::User(via_->identity().user_id)),
      prefix_(prefix) {}

void UserEmitter::operator()(std::string_view event, json::object payload) const {
  if (bus_->HasRemoteSubscribers(room_)) {
    // Best effort, like every delivery to a socket: an unreachable bus loses the copy only.
    (void)bus_->Publish(
        {{room_}, core::events::OpaqueJson{prefix_ + std::string(event), http::ToJsonText(payload)}});
  }
  via_->EmitToRoom(room_, event, sio::Message{json::array{std::move(payload)}, {}});
}

std::optional<sio::RelayedEvent> RelayRemoteCopy(const core::events::Event& event, std::string_view prefix) {
  const auto* copy = event.As<core::events::OpaqueJson>();
  if (copy == nullptr || !event.remote || !copy->type.starts_with(prefix)) return std::nullopt;
  boost::system::error_code ec;
  json::value payload = json::parse(copy->json, ec);
  if (ec || !payload.is_object()) return std::nullopt;
  return sio::RelayedEvent{copy->type.substr(prefix.size()), {json::array{std::move(payload)}, {}}};
}

}  // namespace atrium::dialects
