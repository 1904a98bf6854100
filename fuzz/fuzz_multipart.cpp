// The multipart/form-data body parser on any bytes, with a fixed boundary and with the
// first line of the input taken as a Content-Type. Nothing may crash; every part it
// returns must be a view inside the body, and a part's name must be set.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/multipart_body.hpp"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void CheckParts(std::string_view body, const atrium::http::Result<std::vector<atrium::http::FormPart>>& parts) {
  if (!parts) return;
  Check(parts->size() <= atrium::http::MultipartLimits{}.max_parts);
  for (const auto& p : *parts) {
    Check(p.body.data() >= body.data() && p.body.data() + p.body.size() <= body.data() + body.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckParts(input, atrium::http::ParseMultipart("XyZ", input));
  const auto eol = input.find('\n');
  if (eol != std::string_view::npos) {
    if (auto boundary = atrium::http::MultipartBoundary(input.substr(0, eol))) {
      const std::string_view body = input.substr(eol + 1);
      CheckParts(body, atrium::http::ParseMultipart(*boundary, body));
    }
  }
  return 0;
}
