#include "dialects/unichat/paging.hpp"

#include "http/query_params.hpp"

namespace atrium::dialects::unichat {

http::Result<PageArgs> ReadPage(const http::Request& req, std::int64_t default_limit) {
  auto page = http::IntegerParam(req, "page", 1, 1, kMaxPage);
  if (!page) return std::move(page).error();
  auto limit = http::IntegerParam(req, "limit", default_limit, 1, kMaxPageSize);
  if (!limit) return std::move(limit).error();
  auto skip = http::IntegerParam(req, "skip", -1, 0, kMaxPage * kMaxPageSize);
  if (!skip) return std::move(skip).error();
  PageArgs args{*page, *limit, 0};
  if (const auto skipped = *skip; skipped >= 0) {
    args.skipped = skipped;
    args.page = skipped / args.limit + 1;
  } else {
    args.skipped = (args.page - 1) * args.limit;
  }
  return args;
}

boost::json::object Listing(const char* key, boost::json::array items, std::int64_t total, const PageArgs& page) {
  const bool more = page.offset() + static_cast<std::int64_t>(items.size()) < total;
  return {{key, std::move(items)}, {"total", total}, {"page", page.page}, {"limit", page.limit}, {"has_more", more}};
}

}  // namespace atrium::dialects::unichat
