#pragma once
// The core services a dialect adapter may call. Built once in app/ and passed to every
// dialect, so all five speak to the same accounts, stores and metrics.

#include <cstdint>
#include <functional>
#include <string>

#include "core/admin/user_admin.hpp"
#include "core/analytics/usage_analytics.hpp"
#include "core/arena/arena_chat.hpp"
#include "core/arena/arena_service.hpp"
#include "core/assistants/assistant_config_service.hpp"
#include "core/audit/audit_log.hpp"
#include "core/chat/chat_service.hpp"
#include "core/chat/conversation_store.hpp"
#include "core/clock.hpp"
#include "core/commands/command_service.hpp"
#include "core/events/event_bus.hpp"
#include "core/health/health_service.hpp"
#include "core/identity/api_keys.hpp"
#include "core/identity/identity_service.hpp"
#include "core/images/image_service.hpp"
#include "core/llm/gateway.hpp"
#include "core/llm/model_catalog.hpp"
#include "core/logs/client_log_service.hpp"
#include "core/messaging/delivery_log.hpp"
#include "core/messaging/responder.hpp"
#include "core/messaging/whatsapp.hpp"
#include "core/metrics/inference_stats.hpp"
#include "core/metrics/request_metrics.hpp"
#include "core/prompts/prompt_template_service.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects {

// Settings every dialect may read (validated by app/config).
struct DialectSettings {
  bool rate_limits = true;  // security.rate_limits
  int pisovereign_rate_limit_rpm = 60;
  std::string pisovereign_environment = "production";
  std::string data_dir;  // for the database size in status reports
  std::string swagger_ui_dir = "/usr/lib/python3/dist-packages/flasgger/ui3/static";  // docs.swagger_ui_dir
  // socketio.* (unichat, secondbrain)
  http::socketio::ServerOptions socketio;
  // The database's size in bytes, for status reports (app/ wires it for the driver in
  // use); unset: the bytes under data_dir.
  std::function<std::uint64_t()> database_bytes;
};

struct Services {
  const core::Clock& clock;
  core::health::HealthService& health;
  core::metrics::RequestMetrics& metrics;
  const core::metrics::InferenceStats& inference;
  core::logs::ClientLogService& client_logs;
  core::identity::IdentityService& identity;
  core::identity::ApiKeys& api_keys;
  core::ratelimit::RateLimiter& limiter;
  core::events::EventBus& events;
  core::llm::ModelCatalog& models;
  const DialectSettings& settings;
  core::assistants::AssistantConfigService& assistants;
  core::prompts::PromptTemplateService& prompt_templates;
  core::audit::AuditLog& audit;
  core::admin::UserAdmin& user_admin;
  core::images::ImageService& images;
  core::arena::ArenaService& arena;
  core::analytics::UsageAnalytics& analytics;
  // Optional parts (null: the routes that need them answer 503).
  core::commands::CommandService* commands = nullptr;
  core::messaging::WhatsAppClient* whatsapp = nullptr;  // [webhooks.whatsapp]
  core::messaging::DeliveryLog* deliveries = nullptr;
  core::messaging::Responder* responder = nullptr;  // free text from messaging channels
  // Chat (wired by app/ always; null only in tests that build a site without them).
  core::llm::Gateway* gateway = nullptr;
  core::chat::ConversationStore* conversations = nullptr;
  core::chat::ChatService* chat = nullptr;
  core::arena::ArenaChat* arena_chat = nullptr;  // unichat's arena_send_message
};

}  // namespace atrium::dialects
