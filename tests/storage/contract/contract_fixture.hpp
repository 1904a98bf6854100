#pragma once
// The fixture of the storage contract suite: a fresh database of the driver under test
// per test, a fake clock and seeded ids, and helpers to write through the interfaces.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/identity/user_repository.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "storage/contract/storage_driver.hpp"
#include "support/fakes.hpp"

namespace atrium::storage::contract {

class StorageContract : public ::testing::TestWithParam<Driver> {
 protected:
  void SetUp() override {
    instance_ = GetParam().open(clock_, random_);
    if (!instance_) GTEST_SKIP() << GetParam().name << " is not available here";
  }

  const core::persistence::Repositories& repos() { return instance_->repos(); }

  // Runs `body` in one unit of work and returns its outcome.
  core::Result<void> Run(const std::function<core::Result<void>(core::persistence::UnitOfWork&)>& body,
                         core::persistence::Isolation isolation = core::persistence::Isolation::kReadCommitted) {
    return repos().transactions.Run(isolation, body);
  }

  static core::identity::User MakeUser(const std::string& id, const std::string& email,
                                       const std::string& created_at = "2024-05-06T07:08:09Z") {
    core::identity::User u;
    u.id = id;
    u.email = email;
    u.display_name = "User " + id;
    u.created_at = u.updated_at = created_at;
    return u;
  }

  // Stores a user; fails the test when that fails.
  void AddUser(const std::string& id, const std::string& email,
               const std::string& created_at = "2024-05-06T07:08:09Z") {
    auto r = Run([&](core::persistence::UnitOfWork& uow) {
      return repos().users.Insert(uow, MakeUser(id, email, created_at), "hash-" + id);
    });
    ASSERT_TRUE(r.ok()) << r.error().internal_message();
  }

  atrium::testing::FakeClock clock_;
  atrium::testing::SeededRandom random_;
  std::unique_ptr<DriverInstance> instance_;
};

// Checks the code (and, when given, the reason) of a failed call.
template <class R>
void ExpectCode(const R& result, core::ErrorCode code, core::Reason reason = core::Reason::kNone) {
  ASSERT_FALSE(result.ok()) << "expected an error";
  EXPECT_EQ(result.error().code(), code) << result.error().internal_message();
  if (reason != core::Reason::kNone) {
    EXPECT_EQ(result.error().reason(), reason);
  }
}

}  // namespace atrium::storage::contract
