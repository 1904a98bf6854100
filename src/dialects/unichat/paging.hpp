#pragma once
// Unichat's pagination, the one definition every list route uses: `page` (from 1) or
// `skip` (items to pass over, the spec's alternative to page) and `limit` query
// parameters in, and {<items>, total, page, limit, has_more} out.

#include <boost/json.hpp>
#include <cstdint>

#include "http/request.hpp"
#include "http/result.hpp"

namespace atrium::dialects::unichat {

inline constexpr std::int64_t kMaxPageSize = 100;
inline constexpr std::int64_t kMaxPage = 1'000'000;

struct PageArgs {
  std::int64_t page = 1;  // as reported: with `skip`, the page its first item falls on
  std::int64_t limit = 20;
  std::int64_t skipped = 0;  // items before this page
  std::int64_t offset() const { return skipped; }
};

// 400 naming the parameter when page is not a positive integer, skip not a
// non-negative one or limit not 1-100. With `skip` given, it decides the offset and
// `page` is reported as skip / limit + 1 (a page given too is ignored).
http::Result<PageArgs> ReadPage(const http::Request& req, std::int64_t default_limit);

boost::json::object Listing(const char* key, boost::json::array items, std::int64_t total, const PageArgs& page);

}  // namespace atrium::dialects::unichat
