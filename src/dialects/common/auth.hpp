#pragma once
// Bearer authentication at the edge: the token comes from `Authorization: Bearer`,
// never from a query string.

#include <variant>

#include "core/identity/user.hpp"
#include "dialects/common/deps.hpp"
#include "http/api_error.hpp"
#include "http/request.hpp"

namespace atrium::dialects {

// A user's access token (JWT). Missing: kUnauthorized with Reason::kMissingToken.
std::variant<core::identity::Principal, http::ApiError> AuthenticateUser(const CommonDeps& services,
                                                                         const http::Request& request);

// An API key (pisovereign). Missing: kUnauthorized with Reason::kMissingToken.
std::variant<core::identity::Principal, http::ApiError> AuthenticateApiKey(const CommonDeps& services,
                                                                           const http::Request& request);

}  // namespace atrium::dialects
