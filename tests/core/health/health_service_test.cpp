#include "core/health/health_service.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "core/health/probes.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/fakes.hpp"
#include "support/temp_dir.hpp"

namespace atrium::core::health {
namespace {

using std::chrono::microseconds;

class FakeProbe final : public HealthProbe {
 public:
  FakeProbe(std::string name, bool critical, ProbeResult result, std::atomic<int>* calls = nullptr)
      : name_(std::move(name)), critical_(critical), result_(std::move(result)), calls_(calls) {}
  std::string name() const override { return name_; }
  bool critical() const override { return critical_; }
  ProbeResult Check() override {
    if (calls_ != nullptr) ++*calls_;
    return result_;
  }

 private:
  std::string name_;
  bool critical_;
  ProbeResult result_;
  std::atomic<int>* calls_;
};

ProbeResult Up(int latency_us = 0) { return {true, microseconds{latency_us}, ""}; }
ProbeResult Down(std::string detail) { return {false, microseconds{0}, std::move(detail)}; }

class HealthServiceTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_;
  HealthService service_{clock_, "1.2.3"};
};

TEST_F(HealthServiceTest, NoProbesIsHealthy) {
  const auto report = service_.CheckAll();
  EXPECT_EQ(report.status, OverallStatus::kHealthy);
  EXPECT_TRUE(report.services.empty());
  EXPECT_EQ(report.Find("database"), nullptr);
}

TEST_F(HealthServiceTest, AllUpIsHealthyAndListsServicesInOrder) {
  service_.AddProbe(std::make_unique<FakeProbe>("database", true, Up(1500)));
  service_.AddProbe(std::make_unique<FakeProbe>("cache", false, Up(20)));
  const auto report = service_.CheckAll();
  EXPECT_EQ(report.status, OverallStatus::kHealthy);
  ASSERT_EQ(report.services.size(), 2u);
  EXPECT_EQ(report.services[0].name, "database");
  EXPECT_TRUE(report.services[0].critical);
  EXPECT_TRUE(report.services[0].result.healthy);
  EXPECT_EQ(report.services[0].result.latency, microseconds{1500});
  EXPECT_EQ(report.services[1].name, "cache");
  EXPECT_FALSE(report.services[1].critical);
  ASSERT_NE(report.Find("cache"), nullptr);
  EXPECT_EQ(report.Find("cache"), &report.services[1]);
  EXPECT_EQ(report.Find("nope"), nullptr);
}

TEST_F(HealthServiceTest, NonCriticalDownIsDegraded) {
  service_.AddProbe(std::make_unique<FakeProbe>("database", true, Up()));
  service_.AddProbe(std::make_unique<FakeProbe>("inference", false, Down("not configured")));
  const auto report = service_.CheckAll();
  EXPECT_EQ(report.status, OverallStatus::kDegraded);
  ASSERT_NE(report.Find("inference"), nullptr);
  EXPECT_EQ(report.Find("inference")->result.detail, "not configured");
}

TEST_F(HealthServiceTest, CriticalDownIsDownWhateverTheOrder) {
  service_.AddProbe(std::make_unique<FakeProbe>("inference", false, Down("unreachable")));
  service_.AddProbe(std::make_unique<FakeProbe>("database", true, Down("database unavailable")));
  service_.AddProbe(std::make_unique<FakeProbe>("cache", false, Down("unreachable")));
  EXPECT_EQ(service_.CheckAll().status, OverallStatus::kDown);

  HealthService other(clock_, "1.2.3");
  other.AddProbe(std::make_unique<FakeProbe>("database", true, Down("database unavailable")));
  other.AddProbe(std::make_unique<FakeProbe>("inference", false, Down("unreachable")));
  EXPECT_EQ(other.CheckAll().status, OverallStatus::kDown);
}

TEST_F(HealthServiceTest, CheckRunsOnlyTheNamedProbe) {
  std::atomic<int> db_calls{0};
  std::atomic<int> inference_calls{0};
  service_.AddProbe(std::make_unique<FakeProbe>("database", true, Up(7), &db_calls));
  service_.AddProbe(std::make_unique<FakeProbe>("inference", false, Down("not configured"), &inference_calls));

  const auto inference = service_.Check("inference");
  ASSERT_TRUE(inference.has_value());
  EXPECT_EQ(inference->name, "inference");
  EXPECT_FALSE(inference->critical);
  EXPECT_FALSE(inference->result.healthy);
  EXPECT_EQ(inference->result.detail, "not configured");
  EXPECT_EQ(inference_calls.load(), 1);
  EXPECT_EQ(db_calls.load(), 0);

  EXPECT_FALSE(service_.Check("blobs").has_value());
  EXPECT_EQ(db_calls.load(), 0);
  EXPECT_EQ(inference_calls.load(), 1);
}

TEST_F(HealthServiceTest, UptimeFollowsTheSteadyClockInWholeSeconds) {
  EXPECT_EQ(service_.version(), "1.2.3");
  EXPECT_EQ(service_.Uptime(), std::chrono::seconds{0});
  clock_.Advance(std::chrono::milliseconds{90700});
  EXPECT_EQ(service_.Uptime(), std::chrono::seconds{90});
  clock_.Advance(std::chrono::hours{1});
  EXPECT_EQ(service_.Uptime(), std::chrono::seconds{3690});
  EXPECT_EQ(&service_.clock(), &clock_);
}

TEST(ProbesTest, UnconfiguredProbeIsHonestlyDown) {
  UnconfiguredProbe probe("inference");
  EXPECT_EQ(probe.name(), "inference");
  EXPECT_FALSE(probe.critical());
  const auto r = probe.Check();
  EXPECT_FALSE(r.healthy);
  EXPECT_EQ(r.detail, "not configured");
  EXPECT_EQ(r.latency, microseconds{0});
}

TEST(ProbesTest, DirectoryProbeWritableAndMissing) {
  testing::TempDir dir;
  testing::FakeClock clock;
  DirectoryProbe ok("blobs", dir.path(), clock);
  EXPECT_EQ(ok.name(), "blobs");
  EXPECT_TRUE(ok.critical());
  const auto up = ok.Check();
  EXPECT_TRUE(up.healthy);
  EXPECT_EQ(up.detail, "");
  EXPECT_EQ(up.latency, microseconds{0});  // the fake clock does not move

  DirectoryProbe missing("blobs", dir.path() / "absent", clock);
  const auto down = missing.Check();
  EXPECT_FALSE(down.healthy);
  EXPECT_EQ(down.detail, "not writable");
}

TEST(ProbesTest, DatabaseProbeAnswersFromARealDatabase) {
  testing::TempDir dir;
  testing::FakeClock clock;
  auto db = storage::sqlite::SqliteDatabase::Open({dir.File("probe.db"), 1});
  ASSERT_TRUE(db.ok()) << db.error().internal_message();
  DatabaseProbe probe([&database = **db] { return database.Ping(); }, clock);
  EXPECT_EQ(probe.name(), "database");
  EXPECT_TRUE(probe.critical());
  const auto r = probe.Check();
  EXPECT_TRUE(r.healthy);
  EXPECT_EQ(r.detail, "");
}

}  // namespace
}  // namespace atrium::core::health
