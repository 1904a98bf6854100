#pragma once
// An OpenAPI 3.1 document generated from a router's route table, so the document
// cannot drift from what is served: every route is an operation, with its path
// parameters, and the RouteDoc of its options for summaries, tags and schemas.

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "http/router.hpp"

namespace atrium::http {

// An error answer an operation may give: written once under components/responses
// (`name`, with the "Error" schema) and referenced by status from each operation.
struct OpenApiError {
  std::string status;  // "401"
  std::string name;    // "Unauthorized"
  std::string description;
};

struct OpenApiInfo {
  std::string title;
  std::string description;
  std::string version;
  std::string server_url;          // e.g. http://localhost:3000
  boost::json::object schemas;     // components/schemas; must define "Error"
  std::string bearer_description;  // non-empty: a bearerAuth security scheme
  // The dialect's errors by kind of operation. Empty `secured_errors`: a generic 401.
  std::vector<OpenApiError> secured_errors;  // behind the bearer credential (401, 403, 429)
  std::vector<OpenApiError> body_errors;     // with a JSON request body (400, 413, 415, 422)
  std::vector<OpenApiError> common_errors;   // every operation (500, 503)
};

boost::json::object OpenApiDocument(const Router& router, const OpenApiInfo& info);

// "/v1/items/:id" -> "/v1/items/{id}" (OpenAPI's template form).
std::string OpenApiPath(std::string_view pattern);

}  // namespace atrium::http
