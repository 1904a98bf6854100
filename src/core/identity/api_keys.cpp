#include "core/identity/api_keys.hpp"

#include "core/identity/api_key_repository.hpp"
#include "core/identity/crypto.hpp"
#include "core/identity/user_repository.hpp"
#include "core/persistence/unit_of_work.hpp"

namespace atrium::core::identity {

ApiKeys::ApiKeys(const persistence::Repositories& repos, const Clock& clock, Random& random,
                 const std::map<std::string, std::string>& configured)
    : transactions_(repos.transactions), users_(repos.users), keys_(repos.api_keys), clock_(clock), random_(random) {
  for (const auto& [key, user] : configured) configured_[Sha256Hex(key)] = user;
}

Result<void> ApiKeys::EnsureConfiguredUsers() {
  const std::string now = FormatRfc3339(clock_.Now());
  return transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& uow) -> Result<void> {
    for (const auto& [hash, user_id] : configured_) {
      User user;
      user.id = user_id;
      user.email = "apikey-" + user_id + "@localhost";
      user.display_name = "API key user";
      user.created_at = user.updated_at = now;
      if (auto r = users_.InsertIfAbsent(uow, user); !r) return r.error();
    }
    return Ok{};
  });
}

Result<Principal> ApiKeys::Authenticate(std::string_view key) {
  if (key.empty() || key.size() > 512) {
    return Error(ErrorCode::kUnauthenticated, "Invalid or missing API key").WithReason(Reason::kInvalidApiKey);
  }
  const std::string hash = Sha256Hex(key);
  std::string user_id;
  if (auto it = configured_.find(hash); it != configured_.end()) {
    user_id = it->second;
  } else {
    auto owner = keys_.FindOwner(hash);
    if (!owner) return owner.error();
    if (!*owner) {
      return Error(ErrorCode::kUnauthenticated, "Invalid or missing API key").WithReason(Reason::kInvalidApiKey);
    }
    user_id = **owner;
  }
  auto user = users_.FindById(user_id);
  if (!user) return user.error();
  if (!*user) {
    return Error(ErrorCode::kUnauthenticated, "Invalid or missing API key").WithReason(Reason::kInvalidApiKey);
  }
  const UserStatus status = (*user)->status;
  if (status == UserStatus::kBanned) {
    return Error(ErrorCode::kPermissionDenied, "Account is banned").WithReason(Reason::kAccountBanned);
  }
  if (status != UserStatus::kActive) {
    return Error(ErrorCode::kUnauthenticated, "Account is disabled").WithReason(Reason::kAccountInactive);
  }
  const Role role = (*user)->role;
  return Principal{user_id, "", role, 0};  // API keys do not expire
}

Result<std::string> ApiKeys::Create(const std::string& user_id, const std::string& name) {
  std::uint8_t bytes[32];
  random_.Fill(bytes, sizeof bytes);
  const std::string key = "sk-" + Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  // Inserts nothing when the user does not exist, rather than relying on the foreign key's
  // error (an internal error, not a client's "not found").
  bool stored = false;
  auto done = transactions_.Run(persistence::Isolation::kReadCommitted, [&](persistence::UnitOfWork& uow) -> Result<void> {
    auto r = keys_.Insert(uow, Sha256Hex(key), user_id, name, FormatRfc3339(clock_.Now()));
    if (!r) return r.error();
    stored = *r;
    return Ok{};
  });
  if (!done) return done.error();
  if (!stored) return Error(ErrorCode::kNotFound, "User not found").WithReason(Reason::kUserNotFound);
  return key;
}

}  // namespace atrium::core::identity
