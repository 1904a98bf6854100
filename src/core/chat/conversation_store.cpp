#include "core/chat/conversation_store.hpp"

namespace atrium::core::chat {

std::string_view StatusName(MessageStatus s) { return s == MessageStatus::kCancelled ? "cancelled" : "complete"; }

}  // namespace atrium::core::chat
