// atrium: serve | migrate | --version

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "app/application.hpp"
#include "app/config.hpp"

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
  return 0;
}
