#pragma once
// The manifest at the head of an `atrium backup` archive: what made it, which driver's
// database it holds and at which schema version, and every other entry with its size and
// SHA-256, so a restore can refuse an archive that was cut short or altered before it
// touches anything.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace atrium::storage::backup {

inline constexpr int kManifestFormat = 1;
inline constexpr const char* kManifestName = "manifest.json";

struct ManifestEntry {
  std::string path;  // inside the archive: "database/atrium.db", "data/blobs/..."
  std::uint64_t size = 0;
  std::string sha256;  // lower-case hex
};

struct Manifest {
  int format = kManifestFormat;
  std::string atrium_version;
  std::string driver;  // "sqlite" or "postgresql"
  int schema_version = 0;
  std::string created_at;  // RFC 3339, UTC
  std::vector<ManifestEntry> entries;
};

std::string ManifestToJson(const Manifest& manifest);
// kInvalidArgument for anything that is not a manifest this build can read.
core::Result<Manifest> ParseManifest(std::string_view json);

}  // namespace atrium::storage::backup
