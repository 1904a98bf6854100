// atrium: serve | migrate | backup | restore | user | apikey | openapi | --version

#include <malloc.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "app/application.hpp"
#include "app/backup_command.hpp"
#include "app/config.hpp"
#include "app/openapi_command.hpp"
#include "app/user_commands.hpp"

namespace {

std::optional<std::string> GetEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v ? std::optional<std::string>(v) : std::nullopt;
}

// --config wins; otherwise ./atrium.toml when present; otherwise defaults only.
std::optional<std::string> ConfigPath(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (auto env = GetEnv("ATRIUM_CONFIG")) return env;
  if (std::filesystem::exists("atrium.toml")) return std::string("atrium.toml");
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  // Argon2 allocates 19+ MiB per hash. With glibc's dynamic threshold those blocks end up
  // cached in per-thread arenas and the process keeps them; a fixed threshold makes every
  // block this large an mmap that goes back to the system when freed.
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
  CLI::App cli{"Atrium: one server for five assistant APIs"};
  cli.set_version_flag("--version", std::string("atrium ") + atrium::app::kVersion);
  cli.require_subcommand(1);

  std::string config_flag;
  std::string ready_file;
  auto* serve = cli.add_subcommand("serve", "Serve every enabled dialect until SIGTERM/SIGINT");
  serve->add_option("-c,--config", config_flag, "TOML config file (default: ./atrium.toml if present)");
  serve->add_option("--ready-file", ready_file, "Write the bound ports as JSON here once listening");
  auto* migrate = cli.add_subcommand("migrate", "Apply database migrations and exit");
  migrate->add_option("-c,--config", config_flag, "TOML config file (default: ./atrium.toml if present)");

  atrium::app::BackupOptions backup_opts;
  auto* backup = cli.add_subcommand("backup", "Write one consistent archive of the database, blobs and key while serving");
  backup->add_option("-o,--output", backup_opts.output, "The archive to write (.tar.gz)")->required();
  backup->add_flag("--force", backup_opts.force, "Overwrite an existing file");
  backup->add_option("-c,--config", config_flag, "TOML config file (default: ./atrium.toml if present)");
  atrium::app::RestoreOptions restore_opts;
  auto* restore = cli.add_subcommand("restore", "Restore an archive of atrium backup into a fresh data directory or database");
  restore->add_option("-i,--input", restore_opts.input, "The archive to restore")->required();
  restore->add_flag("--force", restore_opts.force, "Restore over data that is already there");
  restore->add_option("-c,--config", config_flag, "TOML config file (default: ./atrium.toml if present)");

  atrium::app::UserCommand user_cmd;
  auto* user = cli.add_subcommand("user", "Manage accounts (there is no default admin)");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "Create an account (password from --password or stdin)");
  auto* user_promote = user->add_subcommand("promote", "Make an account an admin");
  auto* user_ban = user->add_subcommand("ban", "Ban an account and end its sessions");
  auto* user_unban = user->add_subcommand("unban", "Lift a ban");
  for (auto* sub : {user_create, user_promote, user_ban, user_unban}) {
    sub->add_option("--email", user_cmd.email, "The account's email")->required();
    sub->add_option("-c,--config", config_flag, "TOML config file (default: ./atrium.toml if present)");
  }
  user_create->add_option("--name", user_cmd.name, "Display name");
  user_create->add_option("--password", user_cmd.password, "Password (else read from stdin)");
  user_create->add_flag("--admin", user_cmd.admin, "Create an administrator");
  user_ban->add_option("--reason", user_cmd.reason, "Shown to the user");
  auto* apikey = cli.add_subcommand("apikey", "Manage API keys");
  apikey->require_subcommand(1);
  auto* apikey_create = apikey->add_subcommand("create", "Create an API key for an account and print it once");
  apikey_create->add_option("--email", user_cmd.email, "The account's email")->required();
  apikey_create->add_option("--name", user_cmd.name, "A label for the key");
  apikey_create->add_option("-c,--config", config_flag, "TOML config file (default: ./atrium.toml if present)");

  std::string openapi_dialect = "pisovereign";
  std::string openapi_output = "-";
  auto* openapi = cli.add_subcommand("openapi", "Write a dialect's OpenAPI 3.1 document and exit");
  openapi->add_option("--dialect", openapi_dialect, "The dialect (pisovereign)");
  openapi->add_option("-o,--output", openapi_output, "Output file (default: stdout)");
  openapi->add_option("-c,--config", config_flag, "TOML config file (default: ./atrium.toml if present)");

  CLI11_PARSE(cli, argc, argv);

  auto config = atrium::app::LoadConfig({ConfigPath(config_flag), GetEnv});
  if (!config) {
    std::fprintf(stderr, "atrium: config error: %s\n", config.error().safe_message().c_str());
    return 2;
  }
  if (*serve) {
    atrium::app::ServeOptions options;
    if (!ready_file.empty()) options.ready_file = ready_file;
    return atrium::app::Serve(*config, options);
  }
  if (*migrate) return atrium::app::Migrate(*config);
  if (*backup) return atrium::app::Backup(*config, backup_opts);
  if (*restore) return atrium::app::Restore(*config, restore_opts);
  if (*openapi) return atrium::app::ExportOpenApi(*config, openapi_dialect, openapi_output);
  using Kind = atrium::app::UserCommand::Kind;
  if (*user_create) user_cmd.kind = Kind::kCreate;
  if (*user_promote) user_cmd.kind = Kind::kPromote;
  if (*user_ban) user_cmd.kind = Kind::kBan;
  if (*user_unban) user_cmd.kind = Kind::kUnban;
  if (*apikey_create) user_cmd.kind = Kind::kCreateApiKey;
  if (*user || *apikey) return atrium::app::RunUserCommand(*config, user_cmd);
  return 0;
}
