#pragma once
// Unichat's pagination: `page` (from 1) and `limit` query parameters in, and
// {<items>, total, page, limit, has_more} out.

#include <boost/json.hpp>
#include <cstdint>
#include <variant>

#include "http/api_error.hpp"
#include "http/request.hpp"

namespace atrium::dialects::unichat {

inline constexpr std::int64_t kMaxPageSize = 100;

struct PageArgs {
  std::int64_t page = 1;
  std::int64_t limit = 20;
  std::int64_t offset() const { return (page - 1) * limit; }
};

// 400 naming the parameter when page is not a positive integer or limit not 1-100.
std::variant<PageArgs, http::ApiError> ReadPage(const http::Request& req, std::int64_t default_limit);

boost::json::object Listing(const char* key, boost::json::array items, std::int64_t total, const PageArgs& page);

}  // namespace atrium::dialects::unichat
