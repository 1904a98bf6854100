// Units of work from several threads at once: what one unit reads and then writes must
// not be lost or doubled by another writer (SQLite serialises write units; PostgreSQL
// runs them concurrently on pooled connections, with row locks and retries).

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "core/identity/session_repository.hpp"
#include "storage/contract/contract_fixture.hpp"

namespace atrium::storage::contract {
namespace {

using core::persistence::UnitOfWork;

constexpr int kThreads = 6;

// Runs `body(thread index)` on kThreads threads started together.
template <class F>
void OnThreads(F body) {
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      body(t);
    });
  }
  for (auto& th : threads) th.join();
}

TEST_P(StorageContract, ARefreshTokenRotatedByManyWritersAtOnceIsSpentByExactlyOne) {
  AddUser("u1", "u1@example.com");
  const std::string now = "2024-05-06T07:08:09Z";
  ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                core::identity::Session s;
                s.id = "s1";
                s.user_id = "u1";
                s.created_at = s.last_activity_at = now;
                if (auto r = repos().sessions.InsertSession(uow, s); !r) return r;
                return repos().sessions.InsertRefresh(uow, "hash1", "s1", "u1", 100, 200);
              }).ok());

  std::atomic<int> winners{0};
  std::atomic<int> stale{0};  // found it unspent, yet could not spend it
  std::atomic<int> failures{0};
  OnThreads([&](int t) {
    // A rotation: find the token, spend it, issue its successor, all in one unit.
    auto r = Run([&](UnitOfWork& uow) -> core::Result<void> {
      auto found = repos().sessions.FindRefresh(uow, "hash1");
      if (!found) return found.error();
      if (!found->has_value() || (*found)->used) return core::Ok{};
      auto spent = repos().sessions.MarkRefreshUsed(uow, "hash1", 150);
      if (!spent) return spent.error();
      if (!*spent) {
        stale.fetch_add(1);
        return core::Ok{};
      }
      winners.fetch_add(1);
      return repos().sessions.InsertRefresh(uow, "next-" + std::to_string(t), "s1", "u1", 150, 200);
    });
    if (!r.ok()) failures.fetch_add(1);
  });
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(winners.load(), 1);
  // FindRefresh locks the token for its unit: the others wait and then see it spent.
  EXPECT_EQ(stale.load(), 0);
  int successors = 0;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_TRUE(Run([&](UnitOfWork& uow) -> core::Result<void> {
                  auto found = repos().sessions.FindRefresh(uow, "next-" + std::to_string(t));
                  if (!found) return found.error();
                  if (found->has_value()) ++successors;
                  return core::Ok{};
                }).ok());
  }
  EXPECT_EQ(successors, 1);
}

TEST_P(StorageContract, ConcurrentReadModifyWritesOfOneUserLoseNoUpdate) {
  AddUser("u1", "u1@example.com");
  constexpr int kRounds = 4;
  std::atomic<int> failures{0};
  OnThreads([&](int t) {
    for (int i = 0; i < kRounds; ++i) {
      // Read the profile (locking it for the unit), append to the bio, write it back.
      auto r = Run([&](UnitOfWork& uow) -> core::Result<void> {
        auto user = repos().users.FindById(uow, "u1");
        if (!user) return user.error();
        if (!user->has_value()) return core::Error(core::ErrorCode::kNotFound, "gone");
        core::identity::User u = **user;
        u.bio += static_cast<char>('a' + t);
        return repos().users.UpdateProfile(uow, u, "2024-05-06T07:08:10Z");
      });
      if (!r.ok()) failures.fetch_add(1);
    }
  });
  EXPECT_EQ(failures.load(), 0);
  auto user = repos().users.FindById("u1");
  ASSERT_TRUE(user.ok() && user->has_value());
  EXPECT_EQ((*user)->bio.size(), static_cast<std::size_t>(kThreads * kRounds)) << (*user)->bio;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(std::count((*user)->bio.begin(), (*user)->bio.end(), static_cast<char>('a' + t)), kRounds);
  }
}

}  // namespace
}  // namespace atrium::storage::contract
