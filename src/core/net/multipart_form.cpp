#include "core/net/multipart_form.hpp"

namespace atrium::core::net {

namespace {

// Quotes and line breaks cannot appear inside a quoted parameter: escape the quote,
// drop the breaks (names here come from our own code, file names from ours too).
std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += "%22";
    else if (c == '\r' || c == '\n') continue;
    else out += c;
  }
  return out + "\"";
}

}  // namespace

void MultipartForm::AddField(std::string_view name, std::string_view value) {
  body_ += "--" + boundary_ + "\r\nContent-Disposition: form-data; name=" + Quoted(name) + "\r\n\r\n";
  body_.append(value);
  body_ += "\r\n";
}

void MultipartForm::AddFile(std::string_view name, std::string_view filename, std::string_view content_type,
                            std::string_view bytes) {
  body_ += "--" + boundary_ + "\r\nContent-Disposition: form-data; name=" + Quoted(name) +
           "; filename=" + Quoted(filename) + "\r\nContent-Type: " + std::string(content_type) + "\r\n\r\n";
  body_.append(bytes);
  body_ += "\r\n";
}

std::string MultipartForm::Finish() const { return body_ + "--" + boundary_ + "--\r\n"; }

}  // namespace atrium::core::net
