#pragma once
// Conversation exports as expiring, signed download links. Nothing is stored: a link
// names the conversation, the format, its owner and its expiry, signed
// (identity/link_signer.hpp), and the file is rendered from the conversation when the
// link is followed. So links work on every instance behind a load balancer without a
// shared disk, and a deleted conversation's links stop working.
//
// Blocking; thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/chat/conversation_store.hpp"
#include "core/clock.hpp"
#include "core/export/conversation_export.hpp"
#include "core/export/pdf_renderer.hpp"
#include "core/identity/link_signer.hpp"
#include "core/result.hpp"

namespace atrium::core::exports {

struct ExportLink {
  std::string file_name;  // "<conversation id><extension>": the link's path part
  std::int64_t expires_unix = 0;
  std::string signature;
  std::string expires_at;  // RFC 3339 with milliseconds
};

struct ExportFile {
  std::string bytes;
  std::string content_type;
  std::string file_name;  // for Content-Disposition: "<conversation id><extension>"
};

class ExportService {
 public:
  // `pdf` may be null: PDF exports are then refused as unavailable. Every reference
  // outlives the service.
  ExportService(chat::ConversationStore& conversations, const ConversationPdfRenderer* pdf,
                const identity::LinkSigner& signer, const Clock& clock,
                std::chrono::seconds lifetime = std::chrono::hours(1));

  // kNotFound (kConversationNotFound) when the conversation is not the user's.
  Result<ExportLink> Create(const std::string& user_id, const std::string& conversation_id, ExportFormat format);
  // The file a link names, for `user_id` only: kNotFound (kExportNotFound) for a name
  // that is not an export's, a bad signature, an expired link or another user's link.
  Result<ExportFile> Open(const std::string& user_id, const std::string& file_name, std::int64_t expires_unix,
                          const std::string& signature);

 private:
  chat::ConversationStore& conversations_;
  const ConversationPdfRenderer* pdf_;
  const identity::LinkSigner& signer_;
  const Clock& clock_;
  std::chrono::seconds lifetime_;
};

}  // namespace atrium::core::exports
