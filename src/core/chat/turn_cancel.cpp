#include "core/chat/turn_cancel.hpp"

#include <boost/json.hpp>

namespace atrium::core::chat {

namespace json = boost::json;

std::string TurnTopic(std::string_view turn_id) { return events::topics::Join("turn:", turn_id); }

events::Event EncodeTurnCancel(const TurnCancelRequested& cancel) {
  json::object payload{{"turn_id", cancel.turn_id}, {"user_id", cancel.user_id}};
  return events::Event{TurnTopic(cancel.turn_id), std::string(TurnCancelRequested::kType), json::serialize(payload)};
}

std::optional<TurnCancelRequested> DecodeTurnCancel(const events::Event& event) {
  if (event.type != TurnCancelRequested::kType) return std::nullopt;
  boost::system::error_code ec;
  const json::value v = json::parse(event.payload_json, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* turn = v.as_object().if_contains("turn_id");
  const auto* user = v.as_object().if_contains("user_id");
  if (turn == nullptr || !turn->is_string() || user == nullptr || !user->is_string()) return std::nullopt;
  return TurnCancelRequested{std::string(turn->as_string()), std::string(user->as_string())};
}

}  // namespace atrium::core::chat
