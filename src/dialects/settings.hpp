#pragma once
// Settings every dialect may read (validated by app/config, built once in app/).

#include <cstdint>
#include <functional>
#include <string>

#include "http/socketio/server.hpp"

namespace atrium::dialects {

struct DialectSettings {
  bool rate_limits = true;  // security.rate_limits
  int pisovereign_rate_limit_rpm = 60;
  std::string pisovereign_environment = "production";
  std::string data_dir;  // for the database size in status reports
  std::string swagger_ui_dir = "/usr/lib/python3/dist-packages/flasgger/ui3/static";  // docs.swagger_ui_dir
  // socketio.* (unichat, secondbrain)
  http::socketio::ServerOptions socketio;
  // The database's size in bytes, for status reports (app/ wires it for the driver in
  // use); unset: the bytes under data_dir.
  std::function<std::uint64_t()> database_bytes;
};

}  // namespace atrium::dialects
