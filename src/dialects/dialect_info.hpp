#pragma once
// What app/ knows about a dialect before any core service exists: its name and the
// listeners it serves, each with its config key and default port. Plain constants, so
// the config loader can read them without linking a dialect.

#include <array>
#include <cstddef>
#include <string_view>

namespace atrium::dialects {

// One port a dialect listens on. The first listener of a dialect is its main site,
// configured as dialects.<name>.port; further ones (secondbrain's Socket.IO port) are
// dialects.<name>.<port_key> and serve a site named <site_name>.
struct Listener {
  std::string_view site_name;
  std::string_view port_key;  // "port", "socket_port"
  int default_port = 0;
};

inline constexpr std::size_t kMaxListeners = 2;

struct DialectInfo {
  std::string_view name;  // also its config section: [dialects.<name>]
  std::array<Listener, kMaxListeners> listeners{};
  std::size_t listener_count = 1;

  const Listener& main() const { return listeners[0]; }
};

}  // namespace atrium::dialects
