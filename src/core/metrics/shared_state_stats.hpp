#pragma once
// Counters of the state this instance shares with others (the event bus and the
// limits kept in a server such as Redis), for the metrics endpoints. The driver that
// talks to that server records; readers load. `enabled` is false when nothing is
// shared (everything in process), and the counters are then not reported.

#include <atomic>
#include <cstdint>

namespace atrium::core::metrics {

struct SharedStateStats {
  bool enabled = false;  // set once at wiring time, before any reader runs
  // Events this instance sent to other instances, and events it received from them.
  std::atomic<std::uint64_t> bus_messages_out{0};
  std::atomic<std::uint64_t> bus_messages_in{0};
  // Events that could not be sent (the server unreachable or the send queue full):
  // they reached this instance's subscribers only.
  std::atomic<std::uint64_t> bus_messages_unsent{0};
  // Connections re-established after a failure (the first connection is not counted).
  std::atomic<std::uint64_t> reconnects{0};
};

}  // namespace atrium::core::metrics
