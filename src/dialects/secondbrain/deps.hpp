#pragma once
// The core services secondbrain's handlers use.
// Built by app/dialect_factory.cpp; every reference is non-null and outlives the
// dialect's sites. Forward declarations only: a core header this dialect does not use
// rebuilds none of its files.

#include "dialects/common/deps.hpp"

namespace atrium::core::health {
class HealthService;
}  // namespace atrium::core::health
namespace atrium::core::llm {
class ModelCatalog;
class Gateway;
}  // namespace atrium::core::llm
namespace atrium::core::metrics {
class RequestMetrics;
class InferenceStats;
}  // namespace atrium::core::metrics
namespace atrium::core::analytics {
class UsageAnalytics;
}  // namespace atrium::core::analytics
namespace atrium::core::chat {
class ConversationStore;
class ChatService;
class RunningTurns;
}  // namespace atrium::core::chat
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
namespace atrium::core::speech {
class SpeechService;
}  // namespace atrium::core::speech

namespace atrium::dialects::secondbrain {

struct Deps : CommonDeps {
  core::health::HealthService& health;
  core::llm::ModelCatalog& models;
  // Without an LLM the chat service answers "not configured" (503 LLM_ERROR).
  core::chat::ConversationStore& conversations;
  core::chat::ChatService& chat;
  core::chat::RunningTurns& turns;  // chat:message turns, stopped when their socket's session ends
  core::memory::MemoryService& memory;
  core::exports::ExportService& exports;  // signed, expiring download links
  core::documents::DocumentService& documents;  // uploads (processed by a background job)
  const core::retrieval::Retriever& retriever;  // a turn's memories and document chunks
  core::speech::SpeechService& speech;    // POST /api/voice: speech-to-text and text-to-speech
  core::llm::Gateway& gateway;            // the model switch's warm-up call
  // GET /api/stats (admins): measured figures.
  core::metrics::RequestMetrics& metrics;
  const core::metrics::InferenceStats& inference;
  core::analytics::UsageAnalytics& analytics;
};

}  // namespace atrium::dialects::secondbrain
