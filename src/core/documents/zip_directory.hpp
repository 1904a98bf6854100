#pragma once
// Whether a ZIP file holds an entry of a given name, read from its central directory at
// the end of the file (ZIP64 too), so only the tail and the directory are read, never
// the members. When the directory cannot be found (a file cut short in transit) the
// local headers at the start are walked instead, as far as their sizes allow.

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string_view>

namespace atrium::core::documents {

enum class ZipEntryLookup {
  kFound,    // the name is an entry of the ZIP
  kMissing,  // a readable ZIP without that entry
  kNotZip,   // neither a directory nor a local header could be read
};

// `in` is positioned anywhere; `size` is the file's length. A directory larger than
// `max_directory_bytes` is not read (kNotZip unless the local headers name the entry).
ZipEntryLookup FindZipEntry(std::istream& in, std::uint64_t size, std::string_view name,
                            std::size_t max_directory_bytes);

}  // namespace atrium::core::documents
