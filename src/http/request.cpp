#include "http/request.hpp"

namespace atrium::http {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%' && i + 2 < in.size()) {
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && c == '+') ? ' ' : c;
  }
  return out;
}

std::optional<std::string_view> Request::Param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    const std::string key = PercentDecode(pair.substr(0, eq), true);
    if (key == name) {
      return eq == std::string_view::npos ? std::string{} : PercentDecode(pair.substr(eq + 1), true);
    }
  }
  return std::nullopt;
}

std::string ClientAddress(const Request& request, const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](std::string_view a) {
    for (const auto& p : trusted_proxies) {
      if (p == a) return true;
    }
    return false;
  };
  if (!trusted(request.remote_address)) return request.remote_address;
  // Several X-Forwarded-For fields form one list, in order (RFC 9110 5.3). A proxy that
  // appends its own field (HAProxy does) puts the real hop in the last one, so fields
  // are read last to first: the client's own first field must not decide.
  const auto& fields = request.headers.fields();
  for (auto field = fields.rbegin(); field != fields.rend(); ++field) {
    if (!EqualsIgnoreCase(field->first, "X-Forwarded-For")) continue;
    std::string_view rest = field->second;
    while (!rest.empty()) {
      const auto comma = rest.rfind(',');
      std::string_view hop = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
      while (!hop.empty() && hop.front() == ' ') hop.remove_prefix(1);
      while (!hop.empty() && hop.back() == ' ') hop.remove_suffix(1);
      if (hop.empty()) continue;
      if (!trusted(hop)) return std::string(hop);
    }
  }
  return request.remote_address;
}

std::optional<std::string_view> BearerToken(const Request& request) {
  const auto header = request.headers.Get("Authorization");
  if (!header || header->size() < 7 || !EqualsIgnoreCase(header->substr(0, 7), "Bearer ")) return std::nullopt;
  std::string_view token = header->substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace atrium::http
