#include "http/request_id.hpp"

namespace atrium::http {

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string ChooseRequestId(std::string_view incoming, core::Random& random) {
  if (IsSaneRequestId(incoming)) return std::string(incoming);
  return core::NewUuid(random);
}

}  // namespace atrium::http
