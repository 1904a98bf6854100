#include "dialects/secondbrain/paging.hpp"

#include <charconv>

#include "dialects/secondbrain/context.hpp"

namespace atrium::dialects::secondbrain {

namespace {

std::optional<std::int64_t> PositiveInt(std::string_view text) {
  std::int64_t n = 0;
  const auto* end = text.data() + text.size();
  const auto [at, ec] = std::from_chars(text.data(), end, n);
  if (ec != std::errc() || at != end || n < 1) return std::nullopt;
  return n;
}

}  // namespace

http::Result<Paging> ReadPaging(const http::Request& req, std::int64_t default_limit) {
  Paging p;
  p.limit = default_limit;
  if (auto page = req.QueryParam("page")) {
    auto n = PositiveInt(*page);
    if (!n || *n > 1000000) return FieldError("page", "page must be a positive integer", boost::json::value(*page));
    p.page = *n;
  }
  if (auto limit = req.QueryParam("limit")) {
    auto n = PositiveInt(*limit);
    if (!n || *n > 100) return FieldError("limit", "limit must be an integer from 1 to 100", boost::json::value(*limit));
    p.limit = *n;
  }
  return p;
}

http::Result<Sorting> ReadSorting(const http::Request& req, std::initializer_list<std::string_view> allowed,
                                  std::string_view default_by) {
  Sorting s;
  s.by = std::string(default_by);
  if (auto by = req.QueryParam("sortBy")) {
    bool known = false;
    for (const auto a : allowed) known = known || a == *by;
    if (!known) {
      std::string list;
      for (const auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return FieldError("sortBy", "sortBy must be one of: " + list, boost::json::value(*by));
    }
    s.by = *by;
  }
  if (auto order = req.QueryParam("order")) {
    if (*order != "asc" && *order != "desc") {
      return FieldError("order", "order must be asc or desc", boost::json::value(*order));
    }
    s.ascending = *order == "asc";
  }
  return s;
}

boost::json::object PaginationJson(std::int64_t total, const Paging& paging) {
  const std::int64_t pages = total == 0 ? 0 : (total + paging.limit - 1) / paging.limit;
  return {{"total", total},
          {"page", paging.page},
          {"limit", paging.limit},
          {"totalPages", pages},
          {"hasNext", paging.page < pages},
          {"hasPrev", paging.page > 1}};
}

}  // namespace atrium::dialects::secondbrain
