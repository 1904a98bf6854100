#pragma once
// A request to stop a running turn, as an event on the bus, so that a stop received by
// any instance reaches the one running the turn. RunningTurns publishes it and follows
// it; the running instance cancels the turn's upstream request, whose partial answer is
// then stored once.
//
// The event travels as events::Event{{TurnTopic(turn_id)}, TurnCancelRequested}.
// Never relayed to clients.

#include <optional>
#include <string>
#include <string_view>

#include "core/chat/turn_cancel_requested.hpp"
#include "core/events/event.hpp"

namespace atrium::core::chat {

// The topic a running turn's instance follows: "turn:<id>".
std::string TurnTopic(std::string_view turn_id);

events::Event EncodeTurnCancel(const TurnCancelRequested& cancel);
// nullopt for an event of another type.
std::optional<TurnCancelRequested> DecodeTurnCancel(const events::Event& event);

}  // namespace atrium::core::chat
