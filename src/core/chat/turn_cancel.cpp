#include "core/chat/turn_cancel.hpp"

namespace atrium::core::chat {

std::string TurnTopic(std::string_view turn_id) { return events::topics::Join("turn:", turn_id); }

events::Event EncodeTurnCancel(const TurnCancelRequested& cancel) {
  return events::Event{{TurnTopic(cancel.turn_id)}, cancel, 0};
}

std::optional<TurnCancelRequested> DecodeTurnCancel(const events::Event& event) {
  if (const auto* cancel = event.As<TurnCancelRequested>()) return *cancel;
  return std::nullopt;
}

}  // namespace atrium::core::chat
