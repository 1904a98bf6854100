#pragma once
// unamentis's name, config section and listeners (dialects/dialect_info.hpp).

#include "dialects/dialect_info.hpp"

namespace atrium::dialects::unamentis {

inline constexpr const char* kName = "unamentis";
inline constexpr int kDefaultPort = 8766;
inline constexpr DialectInfo kInfo{kName, {{{kName, "port", kDefaultPort}}}};

}  // namespace atrium::dialects::unamentis
