#include "app/user_commands.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "app/application.hpp"
#include "app/open_database.hpp"
#include "app/shared_state.hpp"
#include "core/clock.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "core/random.hpp"

namespace atrium::app {

namespace {

int Fail(const std::string& line) {
  std::fprintf(stderr, "atrium: %s\n", line.c_str());
  return 1;
}

}  // namespace

int RunUserCommand(const Config& config, const UserCommand& cmd) {
  spdlog::set_level(spdlog::level::warn);
  auto db = OpenMigratedDatabase(config);
  if (!db) return Fail(db.error().safe_message());
  core::SystemClock clock;
  core::SecureRandom random;
  auto stores = OpenRepositories(**db, clock, random);
  if (!stores) return Fail(stores.error().safe_message());
  // With redis.url the servers' shared bus, so a ban or deactivation from the CLI drops
  // the user's open connections on every instance at once. Without it, this process's
  // own bus, which nobody follows: those connections end at their tokens' expiry (REST
  // refuses them at once).
  auto shared = OpenSharedState(config, clock, random);
  if (!shared) return Fail(shared.error().safe_message());
  core::events::EventBus& events = *(*shared)->events;
  auto parts = IdentityParts::Build(config, (*stores)->repos(), clock, random, events);
  if (!parts) return Fail(parts.error().safe_message());
  auto& identity = (*parts)->identity;

  if (cmd.kind == UserCommand::Kind::kCreate) {
    std::string password;
    if (cmd.password) {
      password = *cmd.password;
    } else if (!std::getline(std::cin, password)) {
      return Fail("user create: no password given (use --password or pass it on stdin)");
    }
    core::identity::NewUser user{cmd.email, std::nullopt, cmd.name.empty() ? cmd.email : cmd.name, password,
                                 cmd.admin ? core::identity::Role::kAdmin : core::identity::Role::kUser};
    // Administrators choose strong passwords too: the strictest dialect's rule.
    const core::identity::PasswordPolicy policy{12, 1024, true, true, true, false};
    auto created = identity.Register(user, policy, {}, false);
    if (!created) return Fail("user create: " + created.error().safe_message());
    std::printf("created %s %s (%s)\n", cmd.admin ? "admin" : "user", created->user.email.c_str(),
                created->user.id.c_str());
    return 0;
  }

  auto found = identity.FindByEmail(cmd.email);
  if (!found) return Fail(found.error().safe_message());
  if (!*found) return Fail("no user with email " + cmd.email);
  const std::string user_id = (*found)->id;
  switch (cmd.kind) {
    case UserCommand::Kind::kPromote: {
      if (auto r = identity.SetRole(user_id, core::identity::Role::kAdmin); !r) return Fail(r.error().safe_message());
      std::printf("promoted %s to admin\n", cmd.email.c_str());
      return 0;
    }
    case UserCommand::Kind::kBan: {
      auto r = identity.SetStatus(user_id, core::identity::UserStatus::kBanned,
                                  cmd.reason.empty() ? std::nullopt : std::optional<std::string>(cmd.reason));
      if (!r) return Fail(r.error().safe_message());
      std::printf("banned %s\n", cmd.email.c_str());
      return 0;
    }
    case UserCommand::Kind::kUnban: {
      if (auto r = identity.SetStatus(user_id, core::identity::UserStatus::kActive, std::nullopt); !r) {
        return Fail(r.error().safe_message());
      }
      std::printf("unbanned %s\n", cmd.email.c_str());
      return 0;
    }
    case UserCommand::Kind::kCreateApiKey: {
      auto key = (*parts)->api_keys.Create(user_id, cmd.name);
      if (!key) return Fail(key.error().safe_message());
      std::printf("%s\n", key->c_str());  // shown once; only its hash is stored
      return 0;
    }
    case UserCommand::Kind::kCreate:
      break;
  }
  return 0;
}

}  // namespace atrium::app
