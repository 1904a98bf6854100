#pragma once
// HTTP methods the router knows. Anything else parses as kOther and is answered 405
// (or 404) by the router.

#include <string_view>

namespace atrium::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

Method ParseMethod(std::string_view text);
std::string_view MethodName(Method m);

}  // namespace atrium::http
