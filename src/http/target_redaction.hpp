#pragma once
// What of a request target may be written to a log: the path and the query, with the
// values of secret-bearing query parameters (api keys, tokens, passwords, signatures,
// OAuth codes) replaced, so a credential sent in a URL (a WebSocket's ?token=, a
// webhook's hub.verify_token) never reaches the access log. Pure code.

#include <string>
#include <string_view>

namespace atrium::http {

inline constexpr std::string_view kRedacted = "[redacted]";

// True for a query parameter name (raw, as in the target) whose value is a secret. The
// name is percent-decoded, lower-cased and stripped of everything but letters and
// digits ("hub.verify_token" -> "hubverifytoken", "apiKey" -> "apikey"), then matched by
// its ending (token, key, secret, password, passwd, pwd, signature, sig, auth,
// authorization, credential(s), jwt, session, sessionid) or as "code".
bool IsSecretQueryName(std::string_view raw_name);

// `target` with every secret parameter's value replaced by kRedacted; everything else,
// the parameters' order and the separators kept byte for byte.
std::string RedactTarget(std::string_view target);

}  // namespace atrium::http
