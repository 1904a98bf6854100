#pragma once
// The core services unichat's handlers use.
// Built by app/dialect_factory.cpp; every reference is non-null and outlives the
// dialect's sites. Forward declarations only: a core header this dialect does not use
// rebuilds none of its files.

#include "dialects/common/deps.hpp"

namespace atrium::core::health {
class HealthService;
}  // namespace atrium::core::health
namespace atrium::core::assistants {
class AssistantConfigService;
}  // namespace atrium::core::assistants
namespace atrium::core::prompts {
class PromptTemplateService;
}  // namespace atrium::core::prompts
namespace atrium::core::audit {
class AuditLog;
}  // namespace atrium::core::audit
namespace atrium::core::admin {
class UserAdmin;
}  // namespace atrium::core::admin
namespace atrium::core::images {
class ImageService;
}  // namespace atrium::core::images
namespace atrium::core::arena {
class ArenaService;
class ArenaChat;
}  // namespace atrium::core::arena
namespace atrium::core::analytics {
class UsageAnalytics;
}  // namespace atrium::core::analytics
namespace atrium::core::llm {
class Gateway;
}  // namespace atrium::core::llm
namespace atrium::core::chat {
class ConversationStore;
class ChatService;
class RunningTurns;
}  // namespace atrium::core::chat

namespace atrium::dialects::unichat {

struct Deps : CommonDeps {
  core::health::HealthService& health;
  core::assistants::AssistantConfigService& assistants;
  core::prompts::PromptTemplateService& prompt_templates;
  core::audit::AuditLog& audit;
  core::admin::UserAdmin& user_admin;
  core::images::ImageService& images;
  core::arena::ArenaService& arena;
  core::analytics::UsageAnalytics& analytics;
  // With no LLM configured the gateway has no upstream and answers "not configured";
  // chat, arena_chat and conversations are always present.
  core::llm::Gateway& gateway;
  core::chat::ConversationStore& conversations;
  core::chat::ChatService& chat;
  core::arena::ArenaChat& arena_chat;  // arena_send_message
  core::chat::RunningTurns& turns;     // stop-by-id for streamed turns (stop_generation)
};

}  // namespace atrium::dialects::unichat
