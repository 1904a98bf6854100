#pragma once
// mira's name, config section and listeners (dialects/dialect_info.hpp).

#include "dialects/dialect_info.hpp"

namespace atrium::dialects::mira {

inline constexpr const char* kName = "mira";
inline constexpr int kDefaultPort = 8400;
inline constexpr DialectInfo kInfo{kName, {{{kName, "port", kDefaultPort}}}};

}  // namespace atrium::dialects::mira
