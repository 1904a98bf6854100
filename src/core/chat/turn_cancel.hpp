#pragma once
// A request to stop a running turn, as an event on the bus, so that a stop received by
// any instance reaches the one running the turn. RunningTurns publishes it and follows
// it; the running instance cancels the turn's upstream request, whose partial answer is
// then stored once.
//
// The event travels as events::Event{TurnTopic(turn_id), TurnCancelRequested::kType,
// <JSON>}; EncodeTurnCancel and DecodeTurnCancel are the only code that knows that JSON.
// Never relayed to clients.

#include <optional>
#include <string>
#include <string_view>

#include "core/events/event.hpp"

namespace atrium::core::chat {

struct TurnCancelRequested {
  static constexpr std::string_view kType = "chat.turn_cancel_requested";

  std::string turn_id;  // the id the turn is registered by (TurnRegistry)
  std::string user_id;  // who asked; only the turn's own user may stop it

  bool operator==(const TurnCancelRequested&) const = default;
};

// The topic a running turn's instance follows: "turn:<id>".
std::string TurnTopic(std::string_view turn_id);

events::Event EncodeTurnCancel(const TurnCancelRequested& cancel);
// nullopt for another type, or a payload that is not a well-formed cancel request.
std::optional<TurnCancelRequested> DecodeTurnCancel(const events::Event& event);

}  // namespace atrium::core::chat
