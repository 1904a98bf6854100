#pragma once
// The core services pisovereign's handlers use.
// Built by app/dialect_factory.cpp; every reference is non-null and outlives the
// dialect's sites. Forward declarations only: a core header this dialect does not use
// rebuilds none of its files.

#include "dialects/common/deps.hpp"

namespace atrium::core::health {
class HealthService;
}  // namespace atrium::core::health
namespace atrium::core::metrics {
class RequestMetrics;
class InferenceStats;
struct SharedStateStats;
}  // namespace atrium::core::metrics
namespace atrium::core::llm {
class ModelCatalog;
class Gateway;
}  // namespace atrium::core::llm
namespace atrium::core::chat {
class ChatService;
}  // namespace atrium::core::chat
namespace atrium::core::commands {
class CommandService;
}  // namespace atrium::core::commands
namespace atrium::core::messaging {
class WhatsAppClient;
class DeliveryLog;
class Responder;
}  // namespace atrium::core::messaging

namespace atrium::dialects::pisovereign {

struct Deps : CommonDeps {
  core::health::HealthService& health;
  core::metrics::RequestMetrics& metrics;
  const core::metrics::InferenceStats& inference;
  const core::metrics::SharedStateStats& shared_state;  // reported when enabled (redis.url)
  core::llm::ModelCatalog& models;
  core::llm::Gateway& gateway;  // no upstream: answers "not configured"
  core::chat::ChatService& chat;
  // Optional by configuration, answered by the services themselves: a command source
  // that is not configured reports so; a WhatsApp client without verify token or app
  // secret keeps the webhook off.
  core::commands::CommandService& commands;
  core::messaging::WhatsAppClient& whatsapp;  // [webhooks.whatsapp]
  core::messaging::DeliveryLog& deliveries;
  core::messaging::Responder& responder;  // free text from messaging channels
};

}  // namespace atrium::dialects::pisovereign
