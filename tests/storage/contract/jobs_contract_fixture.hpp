#pragma once
// The job queue's part of the storage contract suite (jobs_contract_test.cpp): the
// StorageContract fixture with helpers that enqueue, claim and write jobs at instants
// relative to the fake clock's fixed time. Instantiated beside StorageContract.

#include <optional>
#include <string>
#include <vector>

#include "core/jobs/job_repository.hpp"
#include "storage/contract/contract_fixture.hpp"

namespace atrium::storage::contract {

class JobsContract : public StorageContract {
 protected:
  core::jobs::TimePoint T(int s) { return atrium::testing::FixedNow() + std::chrono::seconds(s); }

  core::jobs::Job Enqueue(const std::string& id, const std::string& kind = "k", int run_after_s = 0,
              std::optional<std::string> dedupe = std::nullopt, int max_attempts = 3, const std::string& owner = "") {
    core::jobs::EnqueueOutcome out;
    auto r = Run([&](core::persistence::UnitOfWork& uow) -> core::Result<void> {
      auto e = repos().jobs.Enqueue(
          uow, core::jobs::NewJob{id, kind, "payload-" + id, owner, std::move(dedupe), max_attempts, T(run_after_s)}, T(0));
      if (!e) return e.error();
      out = std::move(*e);
      return core::Ok{};
    });
    EXPECT_TRUE(r.ok()) << r.error().internal_message();
    return out.job;
  }

  std::vector<core::jobs::Job> Claim(const std::string& owner, int limit, int now_s, std::vector<std::string> kinds = {"k"},
                         int lease_s = 30) {
    std::vector<core::jobs::Job> out;
    auto r = Run([&](core::persistence::UnitOfWork& uow) -> core::Result<void> {
      auto c = repos().jobs.Claim(uow, core::jobs::ClaimRequest{owner, std::move(kinds), limit, T(now_s), T(now_s + lease_s)});
      if (!c) return c.error();
      out = std::move(*c);
      return core::Ok{};
    });
    EXPECT_TRUE(r.ok()) << r.error().internal_message();
    return out;
  }

  template <class F>
  auto Write(F f) {
    using R = decltype(f(std::declval<core::persistence::UnitOfWork&>()));
    std::optional<R> out;
    auto r = Run([&](core::persistence::UnitOfWork& uow) -> core::Result<void> {
      out.emplace(f(uow));
      if (!*out) return out->error();
      return core::Ok{};
    });
    EXPECT_TRUE(r.ok()) << r.error().internal_message();
    return std::move(**out);
  }

  core::jobs::Job Get(const std::string& id) {
    auto j = repos().jobs.Get(id);
    EXPECT_TRUE(j.ok() && j->has_value());
    return j.ok() && j->has_value() ? **j : core::jobs::Job{};
  }
};

}  // namespace atrium::storage::contract
