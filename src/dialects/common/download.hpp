#pragma once
// The one way a dialect answers with a file or blob (an export, an image, anything
// with a Content-Disposition): the bytes with their declared type and
// `X-Content-Type-Options: nosniff`, so no browser reads user content as HTML or script
// whatever it looks like.

#include <optional>
#include <string>
#include <string_view>

#include "http/response.hpp"

namespace atrium::dialects {

struct DownloadOptions {
  std::optional<std::string> disposition;    // Content-Disposition, e.g. attachment; filename="..."
  std::optional<std::string> cache_control;  // Cache-Control
};

http::Response Download(int status, std::string body, std::string_view content_type, DownloadOptions options = {});

}  // namespace atrium::dialects
