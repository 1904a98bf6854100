#include "storage/backup/backup_manifest.hpp"

#include <boost/json.hpp>

namespace atrium::storage::backup {

namespace json = boost::json;

std::string ManifestToJson(const Manifest& manifest) {
  json::array entries;
  for (const auto& e : manifest.entries) {
    entries.push_back(json::object{{"path", e.path}, {"size", e.size}, {"sha256", e.sha256}});
  }
  json::object root{{"format", "atrium-backup"},
                    {"format_version", manifest.format},
                    {"atrium_version", manifest.atrium_version},
                    {"driver", manifest.driver},
                    {"schema_version", manifest.schema_version},
                    {"created_at", manifest.created_at},
                    {"entries", std::move(entries)}};
  return json::serialize(root) + "\n";
}

namespace {

core::Error Bad(const std::string& why) {
  return core::Error(core::ErrorCode::kInvalidArgument, "not an Atrium backup manifest: " + why);
}

}  // namespace

core::Result<Manifest> ParseManifest(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Bad("not a JSON object");
  const auto& o = v.as_object();
  const auto* format = o.if_contains("format");
  if (format == nullptr || !format->is_string() || format->as_string() != "atrium-backup") return Bad("format");
  Manifest m;
  const auto* version = o.if_contains("format_version");
  if (version == nullptr || !version->is_int64()) return Bad("format_version");
  if (version->as_int64() != kManifestFormat) {
    return Bad("format_version " + std::to_string(version->as_int64()) + " (this build reads " +
               std::to_string(kManifestFormat) + ")");
  }
  auto str = [&](const char* key, std::string& out) {
    const auto* f = o.if_contains(key);
    if (f == nullptr || !f->is_string()) return false;
    out = std::string(f->as_string());
    return true;
  };
  if (!str("atrium_version", m.atrium_version) || !str("driver", m.driver) || !str("created_at", m.created_at)) {
    return Bad("missing fields");
  }
  if (m.driver != "sqlite" && m.driver != "postgresql") return Bad("unknown driver '" + m.driver + "'");
  const auto* schema = o.if_contains("schema_version");
  if (schema == nullptr || !schema->is_int64() || schema->as_int64() < 0 || schema->as_int64() > 1000000) {
    return Bad("schema_version");
  }
  m.schema_version = static_cast<int>(schema->as_int64());
  const auto* entries = o.if_contains("entries");
  if (entries == nullptr || !entries->is_array()) return Bad("entries");
  for (const auto& ev : entries->as_array()) {
    if (!ev.is_object()) return Bad("entries");
    const auto& eo = ev.as_object();
    const auto* path = eo.if_contains("path");
    const auto* size = eo.if_contains("size");
    const auto* sha = eo.if_contains("sha256");
    if (path == nullptr || !path->is_string() || size == nullptr || !(size->is_uint64() || size->is_int64()) ||
        sha == nullptr || !sha->is_string() || sha->as_string().size() != 64) {
      return Bad("entries");
    }
    ManifestEntry e;
    e.path = std::string(path->as_string());
    if (size->is_int64()) {
      if (size->as_int64() < 0) return Bad("entries");
      e.size = static_cast<std::uint64_t>(size->as_int64());
    } else {
      e.size = size->as_uint64();
    }
    e.sha256 = std::string(sha->as_string());
    m.entries.push_back(std::move(e));
  }
  return m;
}

}  // namespace atrium::storage::backup
