#pragma once
// The core services the OpenAI front door uses.
// Built by app/dialect_factory.cpp; every reference is non-null and outlives the
// dialect's sites. Forward declarations only: a core header this dialect does not use
// rebuilds none of its files.

#include "dialects/common/deps.hpp"

namespace atrium::core::llm {
class Gateway;
}  // namespace atrium::core::llm
namespace atrium::core::chat {
class ConversationStore;
class ChatService;
}  // namespace atrium::core::chat

namespace atrium::dialects::openai {

struct Deps : CommonDeps {
  core::llm::Gateway& gateway;  // no upstream: answers "not configured"
  core::chat::ConversationStore& conversations;
  core::chat::ChatService& chat;
};

}  // namespace atrium::dialects::openai
