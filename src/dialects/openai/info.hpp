#pragma once
// openai's name, config section and listeners (dialects/dialect_info.hpp).

#include "dialects/dialect_info.hpp"

namespace atrium::dialects::openai {

inline constexpr const char* kName = "openai";
inline constexpr int kDefaultPort = 8080;
inline constexpr DialectInfo kInfo{kName, {{{kName, "port", kDefaultPort}}}};

}  // namespace atrium::dialects::openai
