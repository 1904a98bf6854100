#pragma once
// multipart/form-data request bodies (RFC 7578) held in memory: the parts of a body a
// route accepted within its body limit (an audio upload, a form). Views into the body:
// keep the request alive while using them.
//
// Strict where it matters and lenient where clients differ: the boundary comes from
// the Content-Type header (quoted or not, 1-70 characters), lines end in CRLF (bare LF
// accepted too), a part's headers are Content-Disposition (form-data with a name) and
// optionally Content-Type; anything before the first boundary and after the last is
// ignored. Every failure is a 400 the dialect renders.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/result.hpp"

namespace atrium::http {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;  // set for a file field
  std::string content_type;             // as sent, or "" (text/plain by RFC 7578)
  std::string_view body;
};

struct MultipartLimits {
  std::size_t max_parts = 32;
  std::size_t max_header_bytes = 8192;  // one part's headers
};

// The boundary of a multipart/form-data Content-Type; nullopt when the type is another
// one or has no usable boundary.
std::optional<std::string> MultipartBoundary(std::string_view content_type);

Result<std::vector<FormPart>> ParseMultipart(std::string_view boundary, std::string_view body,
                                             const MultipartLimits& limits = {});

// The request's parts: 415 when it is not multipart/form-data, 400 when malformed.
Result<std::vector<FormPart>> ParseMultipartRequest(const Request& request, const MultipartLimits& limits = {});

// A part's headers in `text` from `cursor` (the line after its boundary line) to the
// blank line: its name, filename and Content-Type into `part`; the offset after the
// blank line. The one reading of part headers, shared with multipart_file.hpp.
Result<std::size_t> ParsePartHead(std::string_view text, std::size_t cursor, std::size_t max_header_bytes,
                                  FormPart& part);

// The first part named `name`, or nullptr.
const FormPart* FindPart(const std::vector<FormPart>& parts, std::string_view name);

}  // namespace atrium::http
