#include "storage/sql/memory_rows.hpp"

#include <boost/json.hpp>

#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace json = boost::json;

const char* const kMemoryColumns =
    "m.id, m.user_id, m.content, m.type, m.importance, m.tags, m.source, m.origin, m.access_count, m.last_accessed,"
    " m.created_at, m.updated_at";

std::string TagsText(const std::vector<std::string>& tags) {
  json::array a;
  for (const auto& t : tags) a.emplace_back(t);
  return json::serialize(a);
}

core::memory::Memory MemoryFrom(const std::vector<Value>& r) {
  core::memory::Memory m;
  m.id = Text(r[0]);
  m.user_id = Text(r[1]);
  m.content = Text(r[2]);
  m.type = core::memory::TypeFromName(Text(r[3])).value_or(core::memory::MemoryType::kFact);
  m.importance = AsDouble(r[4]).value_or(0);
  boost::system::error_code ec;
  const auto tags = json::parse(Text(r[5], "[]"), ec);
  if (!ec && tags.is_array()) {
    for (const auto& t : tags.as_array()) {
      if (t.is_string()) m.tags.emplace_back(t.as_string());
    }
  }
  m.source = AsText(r[6]);
  m.origin = core::memory::OriginFromName(Text(r[7])).value_or(core::memory::MemoryOrigin::kManual);
  m.access_count = Int(r[8]);
  m.last_accessed = AsText(r[9]);
  m.created_at = Text(r[10]);
  m.updated_at = Text(r[11]);
  return m;
}

}  // namespace atrium::storage::sql
