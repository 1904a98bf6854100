#include "dialects/common/download.hpp"

namespace atrium::dialects {

http::Response Download(int status, std::string body, std::string_view content_type, DownloadOptions options) {
  http::Response r = http::Response::Text(status, std::move(body), content_type);
  r.headers.Set("X-Content-Type-Options", "nosniff");
  if (options.disposition) r.headers.Set("Content-Disposition", *options.disposition);
  if (options.cache_control) r.headers.Set("Cache-Control", *options.cache_control);
  return r;
}

}  // namespace atrium::dialects
