#pragma once
// Account administration on the command line: there is no default admin account.
//   atrium user create --email E [--name N] [--admin] [--password P | password on stdin]
//   atrium user promote --email E
//   atrium user ban --email E [--reason R] / atrium user unban --email E
//   atrium apikey create --email E [--name N]

#include <optional>
#include <string>

#include "app/config.hpp"

namespace atrium::app {

struct UserCommand {
  enum class Kind { kCreate, kPromote, kBan, kUnban, kCreateApiKey } kind = Kind::kCreate;
  std::string email;
  std::string name;
  std::optional<std::string> password;
  std::string reason;
  bool admin = false;
};

// Runs the command; prints results on stdout, one-line errors on stderr. Returns the
// exit code.
int RunUserCommand(const Config& config, const UserCommand& command);

}  // namespace atrium::app
