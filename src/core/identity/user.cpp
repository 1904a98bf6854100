#include "core/identity/user.hpp"

namespace atrium::core::identity {

std::string_view RoleName(Role r) { return r == Role::kAdmin ? "admin" : "user"; }

std::string_view StatusName(UserStatus s) {
  switch (s) {
    case UserStatus::kActive:
      return "active";
    case UserStatus::kDisabled:
      return "disabled";
    case UserStatus::kBanned:
      return "banned";
  }
  return "active";
}

}  // namespace atrium::core::identity
