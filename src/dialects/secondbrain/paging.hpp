#pragma once
// The spec's pagination ("Pagination": page, limit, sortBy, order in; the pagination
// block with total, page, limit, totalPages, hasNext, hasPrev out), for every list.

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "http/request.hpp"
#include "http/result.hpp"

namespace atrium::dialects::secondbrain {

struct Paging {
  std::int64_t page = 1;    // from 1
  std::int64_t limit = 20;  // 1-100
  std::int64_t offset() const { return (page - 1) * limit; }
};

// 400 VALIDATION_ERROR naming `page` or `limit` when one is not a positive integer
// (limit at most 100).
http::Result<Paging> ReadPaging(const http::Request& req, std::int64_t default_limit = 20);

struct Sorting {
  std::string by;
  bool ascending = false;
};

// sortBy (one of `allowed`, else 400) and order ("asc" or "desc", default desc).
http::Result<Sorting> ReadSorting(const http::Request& req, std::initializer_list<std::string_view> allowed,
                                  std::string_view default_by);

boost::json::object PaginationJson(std::int64_t total, const Paging& paging);

}  // namespace atrium::dialects::secondbrain
