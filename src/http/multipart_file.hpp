#pragma once
// multipart/form-data bodies the transport spooled to a file (RouteOptions::body_to_file):
// the same rules as multipart_body.hpp (boundary, CRLF or bare LF, Content-Disposition
// and Content-Type, preamble and epilogue ignored, the same failures), but the file is
// read in blocks and a part's bytes stay in it: each part is an offset and a length.
// Small text fields are read into memory.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.hpp"
#include "http/result.hpp"

namespace atrium::http {

struct FilePartRange {
  std::string name;
  std::optional<std::string> filename;  // set for a file field
  std::string content_type;             // as sent, or ""
  std::uint64_t offset = 0;             // of the part's first content byte in the file
  std::uint64_t length = 0;
};

struct SpooledForm {
  std::vector<FilePartRange> parts;  // every part, in order (text fields too)
  // Parts without a filename whose content is at most max_field_bytes: (name, value).
  std::vector<std::pair<std::string, std::string>> fields;
};

struct MultipartFileLimits {
  std::size_t max_parts = 32;
  std::size_t max_header_bytes = 8192;  // one part's headers
  std::size_t max_field_bytes = 64 * 1024;
  std::size_t block_bytes = 64 * 1024;  // how much is read at a time
};

// Scans `file` (a whole body). 400 when malformed; 500-free: an unreadable file is a 400
// too ("the body could not be read"), as nothing else can be said to the client.
Result<SpooledForm> ScanMultipartFile(const std::filesystem::path& file, std::string_view boundary,
                                      const MultipartFileLimits& limits = {});

// The request's form from Request::body_file, or from Request::body when the route did
// not spool it: 415 when it is not multipart/form-data, 400 when malformed.
Result<SpooledForm> ScanMultipartRequest(const Request& request, const MultipartFileLimits& limits = {});

const FilePartRange* FindFilePart(const SpooledForm& form, std::string_view name);
std::optional<std::string_view> FindField(const SpooledForm& form, std::string_view name);

}  // namespace atrium::http
