#pragma once
// An event whose payload is a client's JSON, carried as text and never read by the
// core: the Socket.IO echo/broadcast relay (dialects/common/socketio_echo.cpp) publishes
// what one client sent for others to receive. Core-made events never use it: they have
// typed payloads.

#include <string>

namespace atrium::core::events {

struct OpaqueJson {
  std::string type;  // the client's event name, relayed as it is; never empty
  std::string json;  // one JSON value as text, as the client sent it

  bool operator==(const OpaqueJson&) const = default;
};

}  // namespace atrium::core::events
