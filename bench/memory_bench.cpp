// Memory recall and full-text search latency over a large store: one user with N
// memories in SQLite (the embedded default), then Recall (any word, ranked by the
// relevance formula, records access) and Search (every word, highlighted, paged) for a
// set of queries, p50/p99 over many calls.
//
//   cmake --preset bench && cmake --build --preset bench --target atrium_memory_bench
//   build/bench/bench/atrium_memory_bench [--memories N] [--queries Q]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "core/identity/user.hpp"
#include "core/identity/user_repository.hpp"
#include "core/memory/memory_service.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "core/random.hpp"
#include "storage/migration.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"

namespace {

using namespace atrium;
using Clock = std::chrono::steady_clock;

const char* kWords[] = {"coffee", "python", "garden", "meeting", "sister", "london", "dark", "mode", "allergic",
                        "peanuts", "running", "marathon", "piano", "lessons", "birthday", "march", "project",
                        "deadline", "vegetarian", "cooking", "train", "commute", "dentist", "tuesday", "guitar",
                        "camera", "holiday", "spain", "budget", "savings", "reading", "novels", "cat", "named",
                        "biscuit", "works", "engineer", "prefers", "tea", "morning", "evening", "cinema", "jazz",
                        "football", "team", "doctor", "appointment", "kitchen", "lights", "timer"};
constexpr std::size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  int memories = 100000;
  int queries = 500;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--memories") == 0) memories = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--queries") == 0) queries = std::atoi(argv[i + 1]);
  }
  const auto dir = std::filesystem::temp_directory_path() / ("atrium-memory-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  core::SystemClock clock;
  core::SecureRandom random;
  auto db = storage::sqlite::SqliteDatabase::Open({(dir / "bench.db").string(), 2});
  if (!db) {
    std::fprintf(stderr, "open: %s\n", db.error().internal_message().c_str());
    return 1;
  }
  if (auto m = storage::ApplyMigrations(**db, storage::sqlite::SqliteMigrations()); !m) return 1;
  auto stores = storage::sqlite::OpenRepositories(**db, clock, random);
  const auto& repos = stores->repos();
  core::identity::User user;
  user.id = "bench-user";
  user.email = "bench@example.com";
  user.created_at = user.updated_at = core::FormatRfc3339(clock.Now(), 3);
  if (!repos.transactions.Run(core::persistence::Isolation::kReadCommitted, [&](core::persistence::UnitOfWork& uow) {
         return repos.users.Insert(uow, user, "x");
       })) {
    return 1;
  }
  core::events::InProcessEventBus bus;
  core::memory::MemoryService service(repos.memories, bus, clock, random);
  std::mt19937 rng(42);
  auto word = [&] { return std::string(kWords[rng() % kWordCount]); };
  const auto fill_start = Clock::now();
  for (int i = 0; i < memories; ++i) {
    core::memory::NewMemory m;
    m.content = "User " + word() + " " + word() + " and " + word() + " " + word() + " note " + std::to_string(i);
    m.type = static_cast<core::memory::MemoryType>(rng() % 3);
    m.importance = static_cast<double>(rng() % 100) / 100.0;
    m.tags = {word()};
    if (!service.Save(user.id, m)) return 1;
  }
  const double fill_s = std::chrono::duration<double>(Clock::now() - fill_start).count();
  std::vector<double> recall_ms, relevant_ms, search_ms;
  std::size_t recalled = 0, relevant = 0, found = 0;
  for (int q = 0; q < queries; ++q) {
    const std::string text = word() + " " + word();
    auto t0 = Clock::now();
    auto r = service.Recall(user.id, {.query = text, .limit = 5});
    recall_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (r) recalled += r->size();
    t0 = Clock::now();
    auto c = service.Relevant(user.id, text, 5);
    relevant_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (c) relevant += c->size();
    t0 = Clock::now();
    auto s = service.Search(user.id, {.q = text, .page = 1, .limit = 10});
    search_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (s) found += static_cast<std::size_t>(s->total);
  }
  std::printf("%d memories stored in %.1f s (%.0f/s, one transaction each)\n", memories, fill_s, memories / fill_s);
  std::printf("| operation | queries | p50 ms | p99 ms | mean hits |\n|---|---|---|---|---|\n");
  std::printf("| recall (any word, ranked, access recorded) | %d | %.2f | %.2f | %.1f |\n", queries,
              Percentile(recall_ms, 0.5), Percentile(recall_ms, 0.99), static_cast<double>(recalled) / queries);
  std::printf("| chat context (recall's ranking, nothing recorded) | %d | %.2f | %.2f | %.1f |\n", queries,
              Percentile(relevant_ms, 0.5), Percentile(relevant_ms, 0.99), static_cast<double>(relevant) / queries);
  std::printf("| search (every word, highlighted, page of 10) | %d | %.2f | %.2f | %.1f |\n", queries,
              Percentile(search_ms, 0.5), Percentile(search_ms, 0.99), static_cast<double>(found) / queries);
  stores.reset();
  db->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
