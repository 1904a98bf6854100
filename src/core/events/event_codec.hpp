#pragma once
// The neutral internal text form of an Event, for a bus shared between instances (a
// pub/sub server carries bytes). Both ends are Atrium builds: the form is versioned
// ("v": 1) but not a client contract, and no dialect's wire shape depends on it. The
// in-process bus never uses it.

#include <string>
#include <string_view>

#include "core/events/event.hpp"
#include "core/result.hpp"

namespace atrium::core::events {

// Topics, sequence and payload, as one line of JSON text.
std::string EncodeEvent(const Event& event);

// The inverse of EncodeEvent. kInvalidArgument for text that is not an encoded event
// of a known type and version (a field missing or of the wrong kind, an unknown enum
// name).
Result<Event> DecodeEvent(std::string_view text);

}  // namespace atrium::core::events
