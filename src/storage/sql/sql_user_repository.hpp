#pragma once
// UserRepository in portable SQL (table `users`).

#include "core/identity/user_repository.hpp"
#include "storage/database.hpp"
#include "storage/sql/sql_flavor.hpp"

namespace atrium::storage::sql {

class SqlUserRepository final : public core::identity::UserRepository {
 public:
  SqlUserRepository(Database& db, SqlFlavor flavor) : db_(db), flavor_(std::move(flavor)) {}

  using User = core::identity::User;
  core::Result<void> Insert(core::persistence::UnitOfWork& uow, const User& user,
                            const std::string& password_hash) override;
  core::Result<bool> InsertIfAbsent(core::persistence::UnitOfWork& uow, const User& user) override;
  core::Result<std::optional<User>> FindById(const std::string& id) override;
  core::Result<std::optional<User>> FindById(core::persistence::UnitOfWork& uow, const std::string& id) override;
  core::Result<std::optional<std::pair<User, std::string>>> FindByEmail(const std::string& email) override;
  core::Result<std::string> PasswordHash(const std::string& user_id) override;
  core::Result<std::vector<User>> List(int limit, int offset) override;
  core::Result<std::int64_t> Count() override;
  core::Result<void> SetPasswordHash(core::persistence::UnitOfWork& uow, const std::string& user_id,
                                     const std::string& hash, const std::string& now) override;
  core::Result<void> TouchLogin(core::persistence::UnitOfWork& uow, const std::string& user_id,
                                const std::string& now) override;
  core::Result<void> UpdateProfile(core::persistence::UnitOfWork& uow, const User& user,
                                   const std::string& now) override;
  core::Result<void> SetStatus(core::persistence::UnitOfWork& uow, const std::string& user_id,
                               core::identity::UserStatus status, const std::optional<std::string>& reason,
                               const std::string& now) override;
  core::Result<void> SetRole(core::persistence::UnitOfWork& uow, const std::string& user_id, core::identity::Role role,
                             const std::string& now) override;
  core::Result<void> SetTokenLimit(core::persistence::UnitOfWork& uow, const std::string& user_id,
                                   std::int64_t tokens_limit, const std::string& now) override;
  core::Result<std::pair<std::vector<User>, std::int64_t>> Search(const std::string& search, bool include_banned,
                                                                  std::int64_t limit, std::int64_t offset) override;

 private:
  Database& db_;
  SqlFlavor flavor_;
};

}  // namespace atrium::storage::sql
