#pragma once
// A ZIP file of stored (uncompressed) entries, written byte by byte so the document tests
// can make exactly the archive they mean: a DOCX's parts, an xlsx, a directory cut off,
// a stub before the archive.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atrium::testing {

class ZipWriter {
 public:
  ZipWriter& Add(std::string name, std::string data) {
    entries_.emplace_back(std::move(name), std::move(data));
    return *this;
  }

  // The whole archive; `comment` goes into the end-of-directory record.
  std::string Bytes(std::string_view comment = {}) const {
    std::string out;
    std::string directory;
    for (const auto& [name, data] : entries_) {
      const auto offset = static_cast<std::uint32_t>(out.size());
      const std::uint32_t crc = Crc32(data);
      Put(out, 0x04034b50, 4);
      Put(out, 20, 2);    // version needed
      Put(out, 0, 2);     // flags
      Put(out, 0, 2);     // stored
      Put(out, 0, 2);     // time
      Put(out, 0x21, 2);  // 1980-01-01
      Put(out, crc, 4);
      Put(out, data.size(), 4);
      Put(out, data.size(), 4);
      Put(out, name.size(), 2);
      Put(out, 0, 2);
      out += name;
      out += data;

      Put(directory, 0x02014b50, 4);
      Put(directory, 20, 2);  // made by
      Put(directory, 20, 2);  // needed
      Put(directory, 0, 2);
      Put(directory, 0, 2);
      Put(directory, 0, 2);
      Put(directory, 0x21, 2);
      Put(directory, crc, 4);
      Put(directory, data.size(), 4);
      Put(directory, data.size(), 4);
      Put(directory, name.size(), 2);
      Put(directory, 0, 2);  // extra
      Put(directory, 0, 2);  // comment
      Put(directory, 0, 2);  // disk
      Put(directory, 0, 2);  // internal attributes
      Put(directory, 0, 4);  // external attributes
      Put(directory, offset, 4);
      directory += name;
    }
    const auto directory_at = static_cast<std::uint32_t>(out.size());
    out += directory;
    Put(out, 0x06054b50, 4);
    Put(out, 0, 2);
    Put(out, 0, 2);
    Put(out, entries_.size(), 2);
    Put(out, entries_.size(), 2);
    Put(out, directory.size(), 4);
    Put(out, directory_at, 4);
    Put(out, comment.size(), 2);
    out += comment;
    return out;
  }

 private:
  static void Put(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  }
  static std::uint32_t Crc32(std::string_view data) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (char c : data) {
      crc ^= static_cast<std::uint8_t>(c);
      for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
  }

  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace atrium::testing
