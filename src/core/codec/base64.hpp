#pragma once
// Standard base64 (RFC 4648 section 4, with padding), as data URIs and JSON APIs carry
// binary data.

#include <optional>
#include <string>
#include <string_view>

namespace atrium::core {

std::string Base64Encode(std::string_view bytes);
// Strict: only the standard alphabet, correct padding, no white space. nullopt otherwise.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace atrium::core
