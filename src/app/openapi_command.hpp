#pragma once
// `atrium openapi --dialect pisovereign --output openapi.json`: the document the
// running server serves at /api-docs/openapi.json, written without serving.

#include <string>

#include "app/config.hpp"

namespace atrium::app {

// Builds the dialect's site exactly as `serve` does (on a throw-away database) and
// writes its OpenAPI document to `output` ("-": stdout). Returns the exit code.
int ExportOpenApi(const Config& config, const std::string& dialect, const std::string& output);

}  // namespace atrium::app
