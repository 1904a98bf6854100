#pragma once
// pisovereign's name, config section and listeners (dialects/dialect_info.hpp).

#include "dialects/dialect_info.hpp"

namespace atrium::dialects::pisovereign {

inline constexpr const char* kName = "pisovereign";
inline constexpr int kDefaultPort = 3000;
inline constexpr DialectInfo kInfo{kName, {{{kName, "port", kDefaultPort}}}};

}  // namespace atrium::dialects::pisovereign
