#pragma once
// RFC 2047 encoded words in mail headers ("=?UTF-8?B?SGVsbG8=?=", "=?ISO-8859-1?Q?Caf=E9?=")
// decoded to UTF-8. UTF-8, US-ASCII and ISO-8859-1 are decoded; words in other charsets,
// and malformed ones, are left as they are. Whitespace between adjacent encoded words is
// dropped, as the RFC says.

#include <string>
#include <string_view>

namespace atrium::transport::mail {

std::string DecodeEncodedWords(std::string_view header);

}  // namespace atrium::transport::mail
