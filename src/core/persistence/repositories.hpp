#pragma once
// Every repository a storage driver provides, plus its units of work: what app/ (and
// the tests) hand to the core services. Each service keeps only the ones it uses.
// The referenced objects are owned by the driver's factory and outlive the services.

namespace atrium::core {
namespace identity {
class UserRepository;
class SessionRepository;
class ApiKeyRepository;
}  // namespace identity
namespace audit {
class AuditRepository;
}
namespace messaging {
class DeliveryRepository;
}
namespace calendar {
class CalendarRepository;
}
namespace logs {
class ClientLogRepository;
}
namespace prompts {
class PromptTemplateRepository;
}
namespace assistants {
class AssistantConfigRepository;
}
namespace images {
class ImageRepository;
}
namespace arena {
class ArenaRepository;
}
namespace analytics {
class UsageQueries;
}
namespace chat {
class ConversationStore;
}
namespace jobs {
class JobRepository;
}
namespace instances {
class InstanceRepository;
}
namespace memory {
class MemoryRepository;
}
namespace documents {
class DocumentRepository;
}
namespace retrieval {
class EmbeddingRepository;
}

namespace persistence {

class Transactions;

struct Repositories {
  Transactions& transactions;
  identity::UserRepository& users;
  identity::SessionRepository& sessions;
  identity::ApiKeyRepository& api_keys;
  audit::AuditRepository& audit;
  messaging::DeliveryRepository& deliveries;
  calendar::CalendarRepository& calendar;
  logs::ClientLogRepository& client_logs;
  prompts::PromptTemplateRepository& prompt_templates;
  assistants::AssistantConfigRepository& assistant_configs;
  images::ImageRepository& images;
  arena::ArenaRepository& arena;
  analytics::UsageQueries& usage;
  chat::ConversationStore& conversations;
  jobs::JobRepository& jobs;
  instances::InstanceRepository& instances;
  memory::MemoryRepository& memories;
  documents::DocumentRepository& documents;
  retrieval::EmbeddingRepository& embeddings;
};

}  // namespace persistence
}  // namespace atrium::core
