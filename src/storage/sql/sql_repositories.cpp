#include "storage/sql/sql_repositories.hpp"

#include "storage/sql/sql_api_key_repository.hpp"
#include "storage/sql/sql_arena_repository.hpp"
#include "storage/sql/sql_assistant_config_repository.hpp"
#include "storage/sql/sql_audit_repository.hpp"
#include "storage/sql/sql_calendar_repository.hpp"
#include "storage/sql/sql_client_log_repository.hpp"
#include "storage/sql/sql_conversation_store.hpp"
#include "storage/sql/sql_delivery_repository.hpp"
#include "storage/sql/sql_document_repository.hpp"
#include "storage/sql/sql_embedding_repository.hpp"
#include "storage/sql/sql_image_repository.hpp"
#include "storage/sql/sql_instance_repository.hpp"
#include "storage/sql/sql_job_repository.hpp"
#include "storage/sql/sql_memory_repository.hpp"
#include "storage/sql/sql_prompt_template_repository.hpp"
#include "storage/sql/sql_session_repository.hpp"
#include "storage/sql/sql_unit_of_work.hpp"
#include "storage/sql/sql_usage_queries.hpp"
#include "storage/sql/sql_user_repository.hpp"

namespace atrium::storage::sql {

struct SqlRepositories::Parts {
  Parts(Database& db, const SqlFlavor& flavor, TextSearches searches, const core::Clock& clock, core::Random& random)
      : search(std::move(searches.conversations)),
        memory_search(std::move(searches.memories)),
        chunk_search(std::move(searches.chunks)),
        transactions(db),
        users(db, flavor),
        sessions(db, flavor),
        api_keys(db),
        audit(db),
        deliveries(db),
        calendar(db),
        client_logs(db),
        prompt_templates(db, flavor),
        assistant_configs(db, flavor),
        images(db),
        arena(db),
        usage(db),
        conversations(db, *search, clock, random),
        jobs(db, flavor),
        instances(db),
        memories(db, *memory_search),
        documents(db, *chunk_search),
        embeddings(db) {}

  std::unique_ptr<ConversationTextSearch> search;
  std::unique_ptr<MemoryTextSearch> memory_search;
  std::unique_ptr<ChunkTextSearch> chunk_search;

  SqlTransactions transactions;
  SqlUserRepository users;
  SqlSessionRepository sessions;
  SqlApiKeyRepository api_keys;
  SqlAuditRepository audit;
  SqlDeliveryRepository deliveries;
  SqlCalendarRepository calendar;
  SqlClientLogRepository client_logs;
  SqlPromptTemplateRepository prompt_templates;
  SqlAssistantConfigRepository assistant_configs;
  SqlImageRepository images;
  SqlArenaRepository arena;
  SqlUsageQueries usage;
  SqlConversationStore conversations;
  SqlJobRepository jobs;
  SqlInstanceRepository instances;
  SqlMemoryRepository memories;
  SqlDocumentRepository documents;
  SqlEmbeddingRepository embeddings;
};

SqlRepositories::SqlRepositories(Database& db, SqlFlavor flavor, TextSearches searches, const core::Clock& clock,
                                 core::Random& random)
    : db_(db), parts_(std::make_unique<Parts>(db, flavor, std::move(searches), clock, random)) {
  Parts& p = *parts_;
  repos_.reset(new core::persistence::Repositories{p.transactions, p.users, p.sessions, p.api_keys, p.audit,
                                                   p.deliveries, p.calendar, p.client_logs, p.prompt_templates,
                                                   p.assistant_configs, p.images, p.arena, p.usage, p.conversations,
                                                   p.jobs, p.instances, p.memories, p.documents, p.embeddings});
}

SqlRepositories::~SqlRepositories() = default;

}  // namespace atrium::storage::sql
