#pragma once
// The one place where concrete parts are built and wired together.

#include <optional>
#include <string>

#include "app/config.hpp"
#include "core/events/event_bus.hpp"
#include "core/identity/access_tokens.hpp"
#include "core/identity/api_keys.hpp"
#include "core/identity/identity_service.hpp"
#include "core/identity/link_signer.hpp"
#include "core/identity/login_throttle.hpp"
#include "core/identity/password_hasher.hpp"
#include "core/persistence/repositories.hpp"
#include "storage/database.hpp"

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

// The identity core, built from config (shared by `serve` and the user CLI). Session
// revocations are published on `events`, which must outlive the parts. Failed logins
// are counted by `throttle` (shared between instances, app/shared_state.hpp); null
// counts them in this process.
struct IdentityParts {
  static core::Result<std::unique_ptr<IdentityParts>> Build(
      const Config& config, const core::persistence::Repositories& repos, const core::Clock& clock,
      core::Random& random, core::events::EventBus& events,
      std::unique_ptr<core::identity::LoginThrottle> throttle = {});
  IdentityParts(const Config& config, const core::persistence::Repositories& repos, const core::Clock& clock,
                core::Random& random, core::events::EventBus& events, std::string key,
                std::unique_ptr<core::identity::LoginThrottle> throttle = {});

  core::identity::PasswordHasher hasher;
  core::identity::LinkSigner links;  // download links (exports), keyed off the token key
  core::identity::AccessTokenCodec tokens;
  std::unique_ptr<core::identity::LoginThrottle> throttle;  // never null
  core::identity::IdentityService identity;
  core::identity::ApiKeys api_keys;
};

// Opens the configured database (storage.url, or the SQLite file under data.dir) and
// applies pending migrations.
core::Result<std::unique_ptr<storage::Database>> OpenMigratedDatabase(const Config& config);

inline constexpr const char* kVersion = ATRIUM_VERSION;

}  // namespace atrium::app
