// The small request parsers that see raw client bytes: percent-decoding, query
// parameters, X-Request-Id, the JSON Content-Type check, X-Forwarded-For, bearer
// tokens and the access log's redaction of secret query parameters. Each is checked
// against a property it must keep for any input, and against a plain reference where
// one is short.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.hpp"
#include "http/json_body.hpp"
#include "http/request.hpp"
#include "http/request_id.hpp"
#include "http/target_redaction.hpp"

namespace {

using atrium::http::PercentDecode;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// Deterministic bytes (splitmix64), so a crash reproduces from its input alone.
class FixedRandom final : public atrium::core::Random {
 public:
  explicit FixedRandom(std::uint64_t seed) : state_(seed) {}
  void Fill(std::uint8_t* out, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) {
      state_ += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = state_;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      out[i] = static_cast<std::uint8_t>(z ^ (z >> 31));
    }
  }

 private:
  std::uint64_t state_;
};

void CheckPercentDecode(std::string_view s) {
  for (const bool plus_is_space : {false, true}) {
    const std::string out = PercentDecode(s, plus_is_space);
    Check(out.size() <= s.size());
    if (s.find('%') == std::string_view::npos) {
      // Nothing to decode: only '+' may change.
      Check(out.size() == s.size());
      for (std::size_t i = 0; i < s.size(); ++i) Check(out[i] == (plus_is_space && s[i] == '+' ? ' ' : s[i]));
    }
  }
  // Every byte escaped (alternating hex case) decodes back to the input in both modes.
  static constexpr char kUpper[] = "0123456789ABCDEF";
  static constexpr char kLower[] = "0123456789abcdef";
  std::string encoded;
  encoded.reserve(s.size() * 3);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    const char* hex = i % 2 == 0 ? kUpper : kLower;
    encoded += '%';
    encoded += hex[b >> 4];
    encoded += hex[b & 0x0f];
  }
  Check(PercentDecode(encoded, false) == s);
  Check(PercentDecode(encoded, true) == s);
}

// Input: "<name>\n<query>". Every key in the query must be found by QueryParam, with the
// value of its first occurrence; the name from the input is looked up too.
void CheckQuery(std::string_view s) {
  const auto newline = s.find('\n');
  const std::string_view name = newline == std::string_view::npos ? std::string_view{} : s.substr(0, newline);
  atrium::http::Request request;
  request.query = std::string(newline == std::string_view::npos ? s : s.substr(newline + 1));

  if (const auto value = request.QueryParam(name)) Check(value->size() <= request.query.size());

  std::vector<std::string> seen;
  std::string_view rest = request.query;
  for (int pairs = 0; !rest.empty() && pairs < 64; ++pairs) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    const std::string key = PercentDecode(pair.substr(0, eq), true);
    bool first = true;
    for (const auto& k : seen) first = first && k != key;
    if (!first) continue;
    seen.push_back(key);
    const std::string expected =
        eq == std::string_view::npos ? std::string{} : PercentDecode(pair.substr(eq + 1), true);
    const auto got = request.QueryParam(key);
    Check(got.has_value() && *got == expected);
  }
}

bool ReferenceSane(std::string_view id) {
  static constexpr std::string_view kAllowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-";
  return !id.empty() && id.size() <= 128 && id.find_first_not_of(kAllowed) == std::string_view::npos;
}

void CheckRequestId(std::string_view s, std::uint64_t seed) {
  const bool sane = atrium::http::IsSaneRequestId(s);
  Check(sane == ReferenceSane(s));
  FixedRandom random(seed);
  const std::string id = atrium::http::ChooseRequestId(s, random);
  Check(atrium::http::IsSaneRequestId(id));
  if (sane) {
    Check(id == s);
    return;
  }
  // A fresh version 4 UUID, lowercase: xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx.
  Check(id.size() == 36);
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      Check(id[i] == '-');
    } else {
      Check((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f'));
    }
  }
  Check(id[14] == '4');
  Check(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
}

void CheckJsonContentType(std::string_view s) {
  const bool json = atrium::http::IsJsonContentType(s);
  // Media types are case-insensitive.
  std::string upper(s);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  Check(atrium::http::IsJsonContentType(upper) == json);
  // Parameters never change the answer; only the media type before the first ';' counts.
  if (s.find(';') == std::string_view::npos) {
    Check(atrium::http::IsJsonContentType(std::string(s) + "; charset=utf-8") == json);
  }
  Check(atrium::http::IsJsonContentType("application/json;" + std::string(s)));
  if (json) {
    // Only application/json or application/<something>+json, between optional blanks.
    std::string_view media = s.substr(0, s.find(';'));
    while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
    while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
    Check(media.size() >= 16);
    Check(atrium::http::EqualsIgnoreCase(media.substr(0, 12), "application/"));
    Check(atrium::http::EqualsIgnoreCase(media.substr(media.size() - 4), "json"));
  }
}

// Input: X-Forwarded-For field values, one per line, behind a trusted peer. Reference:
// all fields' hops in order, blanks trimmed; the answer is the last untrusted one.
void CheckClientAddress(std::string_view s) {
  const std::vector<std::string> trusted = {"10.0.0.1", "10.0.0.2", "::1"};
  atrium::http::Request request;
  request.remote_address = "10.0.0.1";
  std::vector<std::string_view> hops;
  std::string_view rest = s;
  for (int line = 0; line < 8; ++line) {
    const auto newline = rest.find('\n');
    const std::string_view value = rest.substr(0, newline);
    request.headers.Add(line % 2 == 0 ? "X-Forwarded-For" : "x-forwarded-for", value);
    request.headers.Add("Via", "1.1 proxy");
    std::string_view list = value;
    for (;;) {
      const auto comma = list.find(',');
      std::string_view hop = list.substr(0, comma);
      while (!hop.empty() && hop.front() == ' ') hop.remove_prefix(1);
      while (!hop.empty() && hop.back() == ' ') hop.remove_suffix(1);
      if (!hop.empty()) hops.push_back(hop);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
    if (newline == std::string_view::npos) break;
    rest.remove_prefix(newline + 1);
  }
  std::string expected = request.remote_address;
  for (const auto hop : hops) {
    bool is_trusted = false;
    for (const auto& t : trusted) is_trusted = is_trusted || t == hop;
    if (!is_trusted) expected = std::string(hop);
  }
  Check(atrium::http::ClientAddress(request, trusted) == expected);

  // An untrusted peer is the answer, whatever it forwards.
  request.remote_address = "192.0.2.7";
  Check(atrium::http::ClientAddress(request, trusted) == "192.0.2.7");
}

void CheckBearerToken(std::string_view s) {
  atrium::http::Request request;
  request.headers.Add("Authorization", s);
  std::optional<std::string_view> expected;
  if (s.size() >= 7 && atrium::http::EqualsIgnoreCase(s.substr(0, 7), "bearer ")) {
    std::string_view token = s.substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    if (!token.empty()) expected = token;
  }
  Check(atrium::http::BearerToken(request) == expected);
}

// The access log's target: same separators, non-secret pairs untouched, secret values
// gone, and redacting twice changes nothing.
void CheckRedaction(std::string_view target) {
  const std::string out = atrium::http::RedactTarget(target);
  Check(atrium::http::RedactTarget(out) == out);
  const auto question = target.find('?');
  if (question == std::string_view::npos) {
    Check(out == target);
    return;
  }
  Check(out.substr(0, question + 1) == target.substr(0, question + 1));
  std::string_view in_rest = target.substr(question + 1);
  std::string_view out_rest = std::string_view(out).substr(question + 1);
  for (;;) {
    const auto in_amp = in_rest.find('&');
    const auto out_amp = out_rest.find('&');
    Check((in_amp == std::string_view::npos) == (out_amp == std::string_view::npos));
    const std::string_view in_pair = in_rest.substr(0, in_amp);
    const std::string_view out_pair = out_rest.substr(0, out_amp);
    const auto eq = in_pair.find('=');
    if (eq != std::string_view::npos && atrium::http::IsSecretQueryName(in_pair.substr(0, eq))) {
      Check(out_pair.substr(0, eq + 1) == in_pair.substr(0, eq + 1));
      Check(out_pair.substr(eq + 1) == atrium::http::kRedacted);
    } else {
      Check(out_pair == in_pair);
    }
    if (in_amp == std::string_view::npos) break;
    in_rest.remove_prefix(in_amp + 1);
    out_rest.remove_prefix(out_amp + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  std::uint64_t seed = 0;
  for (std::size_t i = 0; i < size && i < 8; ++i) seed = (seed << 8) | data[i];

  CheckPercentDecode(s);
  CheckQuery(s);
  CheckRequestId(s, seed);
  CheckJsonContentType(s);
  CheckClientAddress(s);
  CheckBearerToken(s);
  CheckRedaction(s);
  return 0;
}
