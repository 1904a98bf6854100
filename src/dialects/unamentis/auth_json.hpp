#pragma once
// The unamentis spec's JSON shapes for accounts ("Authentication" section), both ways.

#include <boost/json/object.hpp>
#include <optional>

#include "core/identity/identity_service.hpp"
#include "http/result.hpp"

namespace atrium::dialects::unamentis {

// {id, email, display_name, role}: the user in register and login answers.
boost::json::object UserSummaryJson(const core::identity::User& user);
// GET/PATCH /api/auth/me: {id, email, email_verified, display_name, avatar_url, locale,
// timezone, role, mfa_enabled (always false: no MFA yet), created_at, last_login_at}.
boost::json::object UserProfileJson(const core::identity::User& user);
// {access_token, refresh_token, token_type: "Bearer", expires_in}
boost::json::object TokensJson(const core::identity::TokenPair& tokens);
// {user, device: {id} or null, tokens}
boost::json::object AuthResultJson(const core::identity::AuthResult& result);
// {id, name, type, model, os_version, app_version, is_trusted, last_seen_at, created_at}
boost::json::object DeviceJson(const core::identity::Device& device);
// {id, ip_address, user_agent, location {country, city}, device {name, type},
//  created_at, last_activity_at}; unknown values are null.
boost::json::object SessionJson(const core::identity::Session& session);

// The request's "device" object. Absent or null gives nullopt; a non-object, a field of
// the wrong type or over 255 characters, or a missing fingerprint is a 400 naming the
// field ("device", "device.name", ...).
http::Result<std::optional<core::identity::DeviceInfo>> ParseDevice(const boost::json::object& body);

}  // namespace atrium::dialects::unamentis
