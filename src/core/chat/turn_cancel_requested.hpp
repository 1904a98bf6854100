#pragma once
// TurnCancelRequested: a request to stop a running turn, carried by the bus so that a
// stop received by any instance reaches the one running the turn (turn_cancel.hpp).
// Plain data, so the bus's payload list can name it. Never relayed to clients.

#include <string>

namespace atrium::core::chat {

struct TurnCancelRequested {
  std::string turn_id;  // the id the turn is registered by (TurnRegistry)
  std::string user_id;  // who asked; only the turn's own user may stop it

  bool operator==(const TurnCancelRequested&) const = default;
};

}  // namespace atrium::core::chat
