#pragma once
// Unichat's wire form of arena sessions and their messages, shared by the REST routes
// (/api/arena/sessions*) and the Socket.IO arena events.

#include <boost/json.hpp>

#include "core/arena/arena.hpp"

namespace atrium::dialects::unichat {

// {id, user_id, config_ids, title, message_count, created_at, updated_at}
boost::json::object ArenaSessionJson(const core::arena::ArenaSession& s);
// {id, session_id, role, content, created_at} and, for answers, config_id and metadata.
boost::json::object ArenaMessageJson(const core::arena::ArenaMessage& m);

}  // namespace atrium::dialects::unichat
