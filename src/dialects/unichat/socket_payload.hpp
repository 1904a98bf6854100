#pragma once
// Reading and writing unichat's Socket.IO payloads: every event carries one JSON object.

#include <boost/json.hpp>
#include <string>

#include "dialects/common/fields.hpp"
#include "http/socketio/server.hpp"

namespace atrium::dialects::unichat {

// One object as an event's arguments.
inline http::socketio::Message One(boost::json::object payload) { return {boost::json::array{std::move(payload)}, {}}; }

// The event's first argument when it is an object, else null.
inline const boost::json::object* Payload(const http::socketio::Message& m) {
  if (m.args.empty() || !m.args[0].is_object()) return nullptr;
  return &m.args[0].as_object();
}

// A string field of the payload; empty when absent or not a string.
inline std::string Text(const boost::json::object* o, const char* key) {
  return StringIfAny(o, key).value_or(std::string());
}

}  // namespace atrium::dialects::unichat
