#pragma once
// secondbrain's name, config section and listeners (dialects/dialect_info.hpp).

#include "dialects/dialect_info.hpp"

namespace atrium::dialects::secondbrain {

inline constexpr const char* kName = "secondbrain";
inline constexpr int kDefaultPort = 8000;
// Its Socket.IO listener, a site of its own (dialects.secondbrain.socket_port).
inline constexpr int kDefaultSocketPort = 8001;
inline constexpr DialectInfo kInfo{
    kName, {{{kName, "port", kDefaultPort}, {"secondbrain_socket", "socket_port", kDefaultSocketPort}}}, 2};

}  // namespace atrium::dialects::secondbrain
