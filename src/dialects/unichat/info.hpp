#pragma once
// unichat's name, config section and listeners (dialects/dialect_info.hpp).

#include "dialects/dialect_info.hpp"

namespace atrium::dialects::unichat {

inline constexpr const char* kName = "unichat";
inline constexpr int kDefaultPort = 5000;
inline constexpr DialectInfo kInfo{kName, {{{kName, "port", kDefaultPort}}}};

}  // namespace atrium::dialects::unichat
