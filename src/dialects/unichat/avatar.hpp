#pragma once
// Which avatars unichat stores. A profile's `avatar_url` and a config's `avatar` are
// shown to other users (a public config's in everyone's gallery), so only values that
// are safe wherever a client puts them are kept: an absolute http(s) URL, or, for a
// config, a short text such as the spec's emoji ("🤖") or initials ("JS"). Scripts
// (`javascript:`), `data:` documents and anything else with a scheme are refused.

#include <cstddef>
#include <string_view>

namespace atrium::dialects::unichat {

inline constexpr std::size_t kMaxAvatarUrl = 2048;
inline constexpr std::size_t kMaxAvatarGlyphs = 16;  // code points of an emoji or initials

// An `http://` or `https://` URL (scheme in any case) with a host, at most
// kMaxAvatarUrl bytes of printable ASCII without spaces, quotes, `<`, `>` or `\`.
bool IsSafeAvatarUrl(std::string_view url);

// An emoji or initials: 1-kMaxAvatarGlyphs code points, its ASCII characters letters
// or digits only (so never a scheme, path or markup). `text` is valid UTF-8.
bool IsAvatarGlyph(std::string_view text);

}  // namespace atrium::dialects::unichat
