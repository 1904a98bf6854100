#pragma once
// X-Request-Id handling: a sane incoming id is echoed (so ids can follow a request
// through proxies); anything else is replaced by a fresh UUID.

#include <string>
#include <string_view>

#include "core/random.hpp"

namespace atrium::http {

// 1 to 128 characters from [A-Za-z0-9._:-].
bool IsSaneRequestId(std::string_view id);
std::string ChooseRequestId(std::string_view incoming, core::Random& random);

}  // namespace atrium::http
