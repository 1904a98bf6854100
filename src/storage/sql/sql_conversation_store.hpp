#pragma once
// ConversationStore in portable SQL (tables conversations, messages, users' counters),
// its full-text search delegated to the driver's ConversationTextSearch.

#include "core/chat/conversation_store.hpp"
#include "storage/database.hpp"
#include "storage/sql/conversation_text_search.hpp"

namespace atrium::storage::sql {

class SqlConversationStore final : public core::chat::ConversationStore {
 public:
  // `db` and `search` must outlive this object.
  SqlConversationStore(Database& db, ConversationTextSearch& search, const core::Clock& clock, core::Random& random);

  core::Result<core::chat::Conversation> Create(const std::string& user_id,
                                                const core::chat::NewConversation& fields) override;
  core::Result<core::chat::Conversation> Get(const std::string& user_id, const std::string& conversation_id) override;
  core::Result<std::vector<core::chat::Conversation>> List(const std::string& user_id,
                                                           const core::chat::ListOptions& options) override;
  core::Result<core::chat::Page<core::chat::Conversation>> ListPage(const std::string& user_id,
                                                                    const core::chat::ListOptions& options) override;
  core::Result<std::int64_t> Count(const std::string& user_id) override;
  core::Result<core::chat::Conversation> Update(const std::string& user_id, const std::string& conversation_id,
                                                const core::chat::ConversationPatch& patch) override;
  core::Result<void> Delete(const std::string& user_id, const std::string& conversation_id) override;
  core::Result<std::vector<core::chat::Message>> Messages(const std::string& user_id,
                                                          const std::string& conversation_id) override;
  core::Result<core::chat::Page<core::chat::Message>> MessagesPage(const std::string& user_id,
                                                                   const std::string& conversation_id,
                                                                   std::int64_t limit, std::int64_t offset) override;
  core::Result<core::chat::Message> GetMessage(const std::string& user_id, const std::string& message_id) override;
  core::Result<core::chat::Message> EditMessage(const std::string& user_id, const std::string& message_id,
                                                const std::string& content) override;
  core::Result<void> DeleteMessage(const std::string& user_id, const std::string& message_id) override;
  core::Result<std::vector<core::chat::SearchHit>> Search(const std::string& user_id, const std::string& query,
                                                          std::int64_t limit) override;
  core::Result<core::chat::Page<core::chat::MessageHit>> SearchMessages(const std::string& user_id,
                                                                        const std::string& query,
                                                                        std::int64_t limit) override;
  core::Result<void> CommitTurn(const core::chat::TurnRecord& turn) override;
  core::Result<core::identity::Usage> UsageOf(const std::string& user_id) override;
  core::Result<void> AddUsage(const std::string& user_id, std::int64_t tokens) override;
  core::Result<bool> SetTitleIf(const std::string& user_id, const std::string& conversation_id,
                                const std::string& expected, const std::string& title) override;

 private:
  Database& db_;
  ConversationTextSearch& search_;
};

}  // namespace atrium::storage::sql
