#pragma once
// A multipart/form-data body (RFC 7578) for outgoing requests: text fields and files.

#include <string>
#include <string_view>

namespace atrium::core::net {

class MultipartForm {
 public:
  // `boundary` must not occur in any part; a random one is the caller's choice (tests
  // pass a fixed one).
  explicit MultipartForm(std::string boundary) : boundary_(std::move(boundary)) {}

  void AddField(std::string_view name, std::string_view value);
  void AddFile(std::string_view name, std::string_view filename, std::string_view content_type,
               std::string_view bytes);
  // The whole body, closing delimiter included.
  std::string Finish() const;
  std::string ContentType() const { return "multipart/form-data; boundary=" + boundary_; }

 private:
  std::string boundary_;
  std::string body_;
};

}  // namespace atrium::core::net
