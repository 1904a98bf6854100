#include "dialects/unichat/paging.hpp"

#include "http/query_params.hpp"

namespace atrium::dialects::unichat {

std::variant<PageArgs, http::ApiError> ReadPage(const http::Request& req, std::int64_t default_limit) {
  auto page = http::IntegerParam(req, "page", 1, 1, kMaxPage);
  if (auto* e = std::get_if<http::ApiError>(&page)) return std::move(*e);
  auto limit = http::IntegerParam(req, "limit", default_limit, 1, kMaxPageSize);
  if (auto* e = std::get_if<http::ApiError>(&limit)) return std::move(*e);
  auto skip = http::IntegerParam(req, "skip", -1, 0, kMaxPage * kMaxPageSize);
  if (auto* e = std::get_if<http::ApiError>(&skip)) return std::move(*e);
  PageArgs args{std::get<std::int64_t>(page), std::get<std::int64_t>(limit), 0};
  if (const auto skipped = std::get<std::int64_t>(skip); skipped >= 0) {
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
