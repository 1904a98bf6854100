#pragma once
// Shared pieces of secondbrain's request parsing and user/token JSON.

#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "core/identity/identity_service.hpp"
#include "http/result.hpp"

namespace atrium::dialects::secondbrain {

// A field that must be a string when present: nullopt when absent, an error (naming the
// field) when present with another type.
http::Result<std::optional<std::string>> OptionalString(const boost::json::object& body, std::string_view field);
// Like OptionalString, but absence is an error too.
http::Result<std::string> RequiredString(const boost::json::object& body, std::string_view field);

// 3-20 characters of [A-Za-z0-9_].
bool IsValidUsername(std::string_view username);

// {"accessToken", "refreshToken", "expiresIn"}.
boost::json::object TokensJson(const core::identity::TokenPair& tokens);

// {"id", "email", "username"}: the part every user object shares (username is null for
// accounts created through a dialect without usernames).
boost::json::object BriefUser(const core::identity::User& user);

}  // namespace atrium::dialects::secondbrain
