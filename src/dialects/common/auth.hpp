#pragma once
// Bearer authentication at the edge: the token comes from `Authorization: Bearer`,
// never from a query string.

#include "core/identity/user.hpp"
#include "dialects/common/deps.hpp"
#include "http/request.hpp"
#include "http/result.hpp"

namespace atrium::dialects {

// A user's access token (JWT). Missing: kUnauthorized with Reason::kMissingToken.
http::Result<core::identity::Principal> AuthenticateUser(const CommonDeps& services, const http::Request& request);

// An API key (pisovereign). Missing: kUnauthorized with Reason::kMissingToken.
http::Result<core::identity::Principal> AuthenticateApiKey(const CommonDeps& services, const http::Request& request);

}  // namespace atrium::dialects
