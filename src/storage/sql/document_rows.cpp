#include "storage/sql/document_rows.hpp"

#include <boost/json.hpp>

#include "storage/sql/memory_rows.hpp"
#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace json = boost::json;
using core::documents::Document;

const char* const kDocumentColumns =
    "d.id, d.user_id, d.filename, d.original_name, d.format, d.size, d.status, d.failure, d.blob_key, d.revision,"
    " d.uploaded_at, d.processed_at, d.chunk_count, d.page_count, d.language, d.title, d.author, d.tags";

Document DocumentFrom(const std::vector<Value>& r) {
  Document d;
  d.id = Text(r[0]);
  d.user_id = Text(r[1]);
  d.filename = Text(r[2]);
  d.original_name = Text(r[3]);
  d.format = core::documents::FormatFromName(Text(r[4])).value_or(core::documents::DocumentFormat::kText);
  d.size = static_cast<std::uint64_t>(Int(r[5]));
  d.status = core::documents::StatusFromName(Text(r[6])).value_or(core::documents::DocumentStatus::kFailed);
  d.failure = AsText(r[7]);
  d.blob_key = Text(r[8]);
  d.revision = Int(r[9], 1);
  d.uploaded_at = Text(r[10]);
  d.processed_at = AsText(r[11]);
  d.chunk_count = Int(r[12]);
  if (const auto pages = AsInt(r[13])) d.page_count = static_cast<int>(*pages);
  d.language = AsText(r[14]);
  d.metadata.title = AsText(r[15]);
  d.metadata.author = AsText(r[16]);
  boost::system::error_code ec;
  const auto tags = json::parse(Text(r[17], "[]"), ec);
  if (!ec && tags.is_array()) {
    for (const auto& t : tags.as_array()) {
      if (t.is_string()) d.metadata.tags.emplace_back(t.as_string());
    }
  }
  return d;
}

const char* const kChunkColumns = "c.id, c.document_id, c.user_id, c.chunk_index, c.content, c.page, c.section";

core::documents::StoredChunk ChunkFrom(const std::vector<Value>& r) {
  core::documents::StoredChunk c;
  c.id = Text(r[0]);
  c.document_id = Text(r[1]);
  c.user_id = Text(r[2]);
  c.index = static_cast<int>(Int(r[3]));
  c.content = Text(r[4]);
  c.page = static_cast<int>(Int(r[5]));
  c.section = Text(r[6]);
  return c;
}

}  // namespace atrium::storage::sql
