#pragma once
// IdentityService on a real SQLite database in a temp dir, with the fake clock, a
// deterministic random stream and cheap (but valid) Argon2 parameters.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "core/events/in_process_event_bus.hpp"
#include "core/identity/identity_service.hpp"
#include "core/identity/in_memory_login_throttle.hpp"
#include "storage/migration.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::identity {

// Production's floor is 19 MiB, t=2; these tests are not about the cost.
inline constexpr Argon2Params kCheapArgon2{.memory_kib = 1024, .iterations = 1, .parallelism = 1};
inline constexpr const char* kPassword = "Correct-Horse-9";

// Checks the code, reason and client-facing message of a failed call.
template <class R>
void ExpectError(const R& result, ErrorCode code, Reason reason, const std::string& message) {
  ASSERT_FALSE(result.ok()) << "expected " << ReasonName(reason);
  EXPECT_EQ(result.error().code(), code) << ReasonName(reason);
  EXPECT_EQ(result.error().reason(), reason);
  EXPECT_EQ(result.error().safe_message(), message) << ReasonName(reason);
}

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::sqlite::SqliteDatabase::Open({dir_.File("atrium.db"), 2});
    ASSERT_TRUE(db.ok()) << db.error().internal_message();
    db_ = std::move(db).value();
    auto migrated = storage::ApplyMigrations(*db_, storage::sqlite::SqliteMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().internal_message();
    stores_ = storage::sqlite::OpenRepositories(*db_, clock_, random_);
    service_ = MakeService(hasher_);
  }

  // Another service over the same database (as after a restart with a new config).
  std::unique_ptr<IdentityService> MakeService(PasswordHasher& hasher) {
    return std::make_unique<IdentityService>(repos(), hasher, tokens_, clock_, random_, events_, throttle_,
                                             IdentityOptions{});
  }

  static ClientContext Client(std::string ip = "10.0.0.1", std::optional<DeviceInfo> device = std::nullopt) {
    return ClientContext{std::move(ip), "test-agent/1.0", std::move(device)};
  }

  static DeviceInfo Phone(std::string fingerprint = "fp-phone") {
    return DeviceInfo{std::move(fingerprint), "My Phone", "ios", "iPhone15,2", "17.4", "2.1.0"};
  }

  // Registers (and signs in); fails the test when that fails.
  AuthResult Register(const std::string& email, std::optional<std::string> username = std::nullopt,
                      const ClientContext& client = Client()) {
    NewUser u;
    u.email = email;
    u.username = std::move(username);
    u.display_name = "Test User";
    u.password = kPassword;
    auto r = service_->Register(u, policy_, client, /*sign_in=*/true);
    EXPECT_TRUE(r.ok()) << r.error().internal_message();
    return r.ok() ? *r : AuthResult{};
  }

  AuthResult Login(const std::string& email, const ClientContext& client = Client(),
                   const std::string& password = kPassword) {
    auto r = service_->Login(email, password, client);
    EXPECT_TRUE(r.ok()) << r.error().internal_message();
    return r.ok() ? *r : AuthResult{};
  }

  const persistence::Repositories& repos() const { return stores_->repos(); }

  Principal Who(const AuthResult& auth) { return Principal{auth.user.id, auth.session_id, auth.user.role, 0}; }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  testing::SeededRandom random_;
  events::InProcessEventBus events_;  // the service publishes revocations here
  std::unique_ptr<storage::sqlite::SqliteDatabase> db_;
  std::unique_ptr<storage::sql::SqlRepositories> stores_;
  PasswordHasher hasher_{kCheapArgon2, random_, 2};
  AccessTokenCodec tokens_{std::string(32, 'k'), clock_, random_};
  PasswordPolicy policy_;
  InMemoryLoginThrottle throttle_{clock_, ThrottleOptions{}};
  std::unique_ptr<IdentityService> service_;
};

}  // namespace atrium::core::identity
