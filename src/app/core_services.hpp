#pragma once
// The core objects app/ builds once (Serve, the test harness, the openapi command) and
// hands to the dialect factory (app/dialect_factory.hpp), which gives each dialect the
// few it uses. Included only by app/ and tests: a dialect never sees this struct.
//
// Every member is a non-null reference that outlives the dialects' sites. Features
// that are optional by configuration are answered by their service: the gateway with
// no upstream answers "not configured" (core/llm/not_configured.hpp), the command
// service reports its missing sources, the WhatsApp client without a verify token or
// app secret keeps the webhook off.

namespace atrium::core {
class Clock;
}  // namespace atrium::core
namespace atrium::core::health {
class HealthService;
}  // namespace atrium::core::health
namespace atrium::core::speech {
class SpeechService;
}  // namespace atrium::core::speech
namespace atrium::core::metrics {
class RequestMetrics;
class InferenceStats;
struct SharedStateStats;
}  // namespace atrium::core::metrics
namespace atrium::core::logs {
class ClientLogService;
}  // namespace atrium::core::logs
namespace atrium::core::media {
class MediaService;
}  // namespace atrium::core::media
namespace atrium::core::identity {
class IdentityService;
class ApiKeys;
}  // namespace atrium::core::identity
namespace atrium::core::ratelimit {
class RateLimiter;
}  // namespace atrium::core::ratelimit
namespace atrium::core::events {
class EventBus;
}  // namespace atrium::core::events
namespace atrium::core::llm {
class ModelCatalog;
class Gateway;
}  // namespace atrium::core::llm
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
namespace atrium::core::chat {
class ConversationStore;
class ChatService;
class RunningTurns;
}  // namespace atrium::core::chat
namespace atrium::core::commands {
class CommandService;
}  // namespace atrium::core::commands
namespace atrium::core::messaging {
class WhatsAppClient;
class DeliveryLog;
class Responder;
}  // namespace atrium::core::messaging
namespace atrium::core::memory {
class MemoryService;
}  // namespace atrium::core::memory
namespace atrium::core::documents {
class DocumentService;
}  // namespace atrium::core::documents
namespace atrium::core::retrieval {
class Retriever;
}  // namespace atrium::core::retrieval
namespace atrium::core::exports {
class ExportService;
}  // namespace atrium::core::exports
namespace atrium::dialects {
struct DialectSettings;
}  // namespace atrium::dialects

namespace atrium::app {

struct CoreServices {
  const core::Clock& clock;
  const dialects::DialectSettings& settings;
  core::health::HealthService& health;
  core::metrics::RequestMetrics& metrics;
  const core::metrics::InferenceStats& inference;
  const core::metrics::SharedStateStats& shared_state;  // the bus's and Redis's counters (not enabled: in process)
  core::logs::ClientLogService& client_logs;
  core::identity::IdentityService& identity;
  core::identity::ApiKeys& api_keys;
  core::ratelimit::RateLimiter& limiter;
  core::events::EventBus& events;
  core::llm::ModelCatalog& models;
  core::llm::Gateway& gateway;
  core::assistants::AssistantConfigService& assistants;
  core::prompts::PromptTemplateService& prompt_templates;
  core::audit::AuditLog& audit;
  core::admin::UserAdmin& user_admin;
  core::images::ImageService& images;
  core::arena::ArenaService& arena;
  core::arena::ArenaChat& arena_chat;
  core::analytics::UsageAnalytics& analytics;
  core::chat::ConversationStore& conversations;
  core::chat::ChatService& chat;
  core::commands::CommandService& commands;
  core::messaging::WhatsAppClient& whatsapp;
  core::messaging::DeliveryLog& deliveries;
  core::messaging::Responder& responder;
  core::chat::RunningTurns& turns;  // the running-turn registry (stop by id, through the bus)
  core::speech::SpeechService& speech;  // decoding, speech-to-text, text-to-speech, audio quality
  core::memory::MemoryService& memory;  // long-term memories (save, recall, search)
  core::exports::ExportService& exports;  // conversation exports as signed download links
  core::documents::DocumentService& documents;  // the knowledge base's uploads, processed by a job
  const core::retrieval::Retriever& retriever;  // memories and document chunks for a chat turn
  core::media::MediaService& media;             // diagrams, formulas and maps (each renderer optional)
};

}  // namespace atrium::app
