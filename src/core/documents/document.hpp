#pragma once
// An uploaded document of one user's knowledge base and the chunks its text was split
// into. The file itself is a blob (core/blobs); the row says where it is in its life:
//   processing -> ready (chunks stored) | failed (with the reason)
// and a reindex starts it over at a new revision. Invisible to every other user.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/documents/document_format.hpp"

namespace atrium::core::documents {

enum class DocumentStatus { kProcessing, kReady, kFailed };

// What the uploader said about the document (each optional); title and author found in
// the file fill the ones not given.
struct DocumentMetadata {
  std::optional<std::string> title;
  std::optional<std::string> author;
  std::vector<std::string> tags;
};

struct Document {
  std::string id;
  std::string user_id;
  std::string filename;       // the stored name ("project_requirements_20260104.pdf")
  std::string original_name;  // as uploaded
  DocumentFormat format = DocumentFormat::kText;
  std::uint64_t size = 0;  // bytes
  DocumentStatus status = DocumentStatus::kProcessing;
  std::optional<std::string> failure;  // why processing failed, for people
  std::string blob_key;
  // Bumped by every reindex; processing stores its outcome only for the revision it was
  // started for, so a late or repeated attempt never overwrites a newer one.
  std::int64_t revision = 1;
  std::string uploaded_at;
  std::optional<std::string> processed_at;
  std::int64_t chunk_count = 0;
  std::optional<int> page_count;
  std::optional<std::string> language;  // ISO 639-1, when detected
  DocumentMetadata metadata;
};

struct StoredChunk {
  std::string id;
  std::string document_id;
  std::string user_id;
  int index = 0;
  std::string content;
  int page = 0;         // 1-based; 0 when the format has no pages
  std::string section;  // the heading it falls under, or empty
};

// "processing", "ready", "failed".
std::string_view StatusName(DocumentStatus status);
std::optional<DocumentStatus> StatusFromName(std::string_view name);
// The format's stored name is DocumentFormatName; back from it.
std::optional<DocumentFormat> FormatFromName(std::string_view name);

}  // namespace atrium::core::documents
