#pragma once
// Unichat's JSON views of a user.

#include <boost/json/object.hpp>

#include "core/identity/user.hpp"

namespace atrium::dialects::unichat {

// {id, email, display_name, role} (+ avatar_url with `avatar`).
boost::json::object BriefUser(const core::identity::User& user, bool avatar);
// {display_name, avatar_url, bio}
boost::json::object Profile(const core::identity::User& user);
// The stored settings over the defaults {theme, notifications_enabled, language}.
boost::json::object Settings(const core::identity::User& user);
// {messages_sent, tokens_used, tokens_limit}
boost::json::object Usage(const core::identity::User& user);

}  // namespace atrium::dialects::unichat
