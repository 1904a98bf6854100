#pragma once
// An OpenAPI 3.1 document generated from a router's route table, so the document
// cannot drift from what is served: every route is an operation, with its path
// parameters, and the RouteDoc of its options for summaries, tags and schemas.

#include <boost/json/object.hpp>
#include <string>

#include "http/router.hpp"

namespace atrium::http {

struct OpenApiInfo {
  std::string title;
  std::string description;
  std::string version;
  std::string server_url;          // e.g. http://localhost:3000
  boost::json::object schemas;     // components/schemas; must define "Error"
  std::string bearer_description;  // non-empty: a bearerAuth security scheme
};

boost::json::object OpenApiDocument(const Router& router, const OpenApiInfo& info);

// "/v1/items/:id" -> "/v1/items/{id}" (OpenAPI's template form).
std::string OpenApiPath(std::string_view pattern);

}  // namespace atrium::http
