#include "core/events/event.hpp"

namespace atrium::core::events {

namespace {

// One name per payload type; an unlisted type is a compile error in EventTypeName.
struct TypeName {
  std::string_view operator()(const chat::MessageStarted&) const { return "message.started"; }
  std::string_view operator()(const chat::MessageDelta&) const { return "message.delta"; }
  std::string_view operator()(const chat::MessageDone&) const { return "message.done"; }
  std::string_view operator()(const chat::MessageError&) const { return "message.error"; }
  std::string_view operator()(const chat::ConversationTitle&) const { return "conversation.title"; }
  std::string_view operator()(const chat::TurnCancelRequested&) const { return "chat.turn_cancel_requested"; }
  std::string_view operator()(const identity::SessionsRevoked&) const { return "identity.sessions_revoked"; }
  std::string_view operator()(const logs::ClientLogReceived&) const { return "client_log.received"; }
  std::string_view operator()(const jobs::JobUpdated&) const { return "job.updated"; }
  std::string_view operator()(const memory::MemoryChanged&) const { return "memory.changed"; }
  std::string_view operator()(const OpaqueJson& opaque) const { return opaque.type; }
};

}  // namespace

std::string_view EventTypeName(const Payload& payload) { return std::visit(TypeName{}, payload); }

}  // namespace atrium::core::events
