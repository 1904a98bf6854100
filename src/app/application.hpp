#pragma once
// The one place where concrete parts are built and wired together.

#include <optional>
#include <string>

#include "app/config.hpp"

namespace atrium::app {

struct ServeOptions {
  // When set, a JSON object {"<dialect>": <port>, ...} is written here (atomically)
  // once every port listens: tests and scripts wait for it instead of polling.
  std::optional<std::string> ready_file;
};

// Runs the server until SIGINT/SIGTERM. Returns the process exit code; start-up
// failures are printed as one line on stderr.
int Serve(const Config& config, const ServeOptions& options);

// Applies pending migrations to the database under config.data_dir and reports them.
int Migrate(const Config& config);

inline constexpr const char* kVersion = ATRIUM_VERSION;

}  // namespace atrium::app
