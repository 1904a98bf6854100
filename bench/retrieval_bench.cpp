// What retrieval adds to a chat turn over a large store: one user with N memories in
// SQLite (the embedded default), each with a stored vector, and the turn's context
// built by the real Retriever three ways: not at all (no retrieval), by words alone
// (full text, no embedding model), and hybrid (words fused with the nearest vectors of
// the in-memory hnswlib index). The query's embedding goes through the real LLM
// gateway and Embedder to an in-process fetcher that answers like an OpenAI
// /v1/embeddings upstream at once, so the numbers are Atrium's own work, not a model's.
// Also: the time to build the user's index from the database on first use, and the
// process's peak memory (VmHWM) before and after.
//
// Vectors: each of the 50 vocabulary words has a random unit vector; a memory's is the
// sum of its four words' plus noise, a query's the sum of its two words', so nearest
// neighbours are the memories that share the query's words (as a real model would
// place them), and the minimum similarity (0.5) keeps some and drops others.
//
//   cmake --preset bench && cmake --build --preset bench --target atrium_retrieval_bench
//   build/bench/bench/atrium_retrieval_bench [--memories N] [--queries Q] [--dim D]

#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/documents/document_search.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "core/identity/user.hpp"
#include "core/identity/user_repository.hpp"
#include "core/llm/gateway.hpp"
#include "core/memory/memory_service.hpp"
#include "core/net/http_fetcher.hpp"
#include "core/persistence/unit_of_work.hpp"
#include "core/random.hpp"
#include "core/retrieval/embedder.hpp"
#include "core/retrieval/retriever.hpp"
#include "core/retrieval/semantic_index.hpp"
#include "engines/vector/hnsw_index.hpp"
#include "storage/migration.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/sqlite/sqlite_repositories.hpp"
#include "storage/sqlite/sqlite_schema.hpp"

namespace {

using namespace atrium;
using Clock = std::chrono::steady_clock;
namespace json = boost::json;

const char* kWords[] = {
    "coffee",     "python",      "garden",   "meeting", "sister",  "london",   "dark",   "mode",     "allergic",
    "peanuts",    "running",     "marathon", "piano",   "lessons", "birthday", "march",  "project",  "deadline",
    "vegetarian", "cooking",     "train",    "commute", "dentist", "tuesday",  "guitar", "camera",   "holiday",
    "spain",      "budget",      "savings",  "reading", "novels",  "cat",      "named",  "biscuit",  "works",
    "engineer",   "prefers",     "tea",      "morning", "evening", "cinema",   "jazz",   "football", "team",
    "doctor",     "appointment", "kitchen",  "lights",  "timer"};
constexpr std::size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

long PeakKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

class WordVectors {
 public:
  WordVectors(std::size_t dim, std::mt19937& rng) : dim_(dim) {
    std::normal_distribution<float> n(0, 1);
    for (std::size_t w = 0; w < kWordCount; ++w) {
      std::vector<float> v(dim);
      for (auto& x : v) x = n(rng);
      core::retrieval::Normalize(v);
      words_.push_back(std::move(v));
    }
  }

  // The sum of the vectors of the vocabulary words in `text`, plus `noise`, normalised.
  std::vector<float> Of(const std::string& text, float noise, std::mt19937* rng) const {
    std::vector<float> v(dim_, 0.0f);
    for (std::size_t w = 0; w < kWordCount; ++w) {
      if (text.find(kWords[w]) == std::string::npos) continue;
      for (std::size_t i = 0; i < dim_; ++i) v[i] += words_[w][i];
    }
    if (rng != nullptr && noise > 0) {
      std::normal_distribution<float> n(0, noise / std::sqrt(static_cast<float>(dim_)));
      for (auto& x : v) x += n(*rng);
    }
    core::retrieval::Normalize(v);
    return v;
  }

 private:
  std::size_t dim_;
  std::vector<std::vector<float>> words_;
};

// Answers POST .../embeddings like an OpenAI-compatible upstream, at once.
class EmbeddingsUpstream final : public core::net::HttpFetcher {
 public:
  explicit EmbeddingsUpstream(const WordVectors& vectors) : vectors_(vectors) {}

  core::Result<core::net::FetchResponse> Get(const std::string&, const core::net::HeaderList&,
                                             std::chrono::milliseconds) override {
    return core::net::FetchResponse{200, R"({"object":"list","data":[{"id":"bench-embed","object":"model"}]})", {}};
  }

  core::Result<core::net::FetchResponse> Send(const core::net::FetchRequest& request) override {
    if (request.method == "GET") return Get(request.url, request.headers, {});
    const auto body = json::parse(request.body).as_object();
    json::array data;
    const auto& inputs = body.at("input");
    std::vector<std::string> texts;
    if (inputs.is_string()) {
      texts.emplace_back(inputs.as_string());
    } else {
      for (const auto& i : inputs.as_array()) texts.emplace_back(i.as_string());
    }
    for (std::size_t i = 0; i < texts.size(); ++i) {
      json::array embedding;
      for (const float x : vectors_.Of(texts[i], 0, nullptr)) embedding.push_back(x);
      data.push_back(json::object{{"object", "embedding"}, {"index", i}, {"embedding", std::move(embedding)}});
    }
    return core::net::FetchResponse{
        200,
        json::serialize(json::object{{"object", "list"},
                                     {"model", "bench-embed"},
                                     {"data", std::move(data)},
                                     {"usage", json::object{{"prompt_tokens", 4}, {"total_tokens", 4}}}}),
        {{"Content-Type", "application/json"}}};
  }

 private:
  const WordVectors& vectors_;
};

struct Row {
  std::vector<double> ms;
  std::size_t hits = 0;
};

}  // namespace

int main(int argc, char** argv) {
  int memories = 100000;
  int queries = 300;
  std::size_t dim = 384;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--memories") == 0) memories = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--queries") == 0) queries = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--dim") == 0) dim = static_cast<std::size_t>(std::atoi(argv[i + 1]));
  }
  const auto dir = std::filesystem::temp_directory_path() / ("atrium-retrieval-bench-" + std::to_string(::getpid()));
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
  if (!repos.transactions.Run(core::persistence::Isolation::kReadCommitted,
                              [&](core::persistence::UnitOfWork& uow) { return repos.users.Insert(uow, user, "x"); })) {
    return 1;
  }
  std::mt19937 rng(42);
  const WordVectors vectors(dim, rng);
  core::events::InProcessEventBus bus;
  core::memory::MemoryService service(repos.memories, bus, clock, random);
  auto word = [&] { return std::string(kWords[rng() % kWordCount]); };
  const std::string model = "bench-embed";
  const auto fill_start = Clock::now();
  for (int i = 0; i < memories; ++i) {
    core::memory::NewMemory m;
    m.content = "User " + word() + " " + word() + " and " + word() + " " + word() + " note " + std::to_string(i);
    m.type = static_cast<core::memory::MemoryType>(rng() % 3);
    m.importance = static_cast<double>(rng() % 100) / 100.0;
    auto saved = service.Save(user.id, m);
    if (!saved) return 1;
    if (!repos.embeddings.Put(user.id, core::retrieval::ItemKind::kMemory, saved->id, model,
                              vectors.Of(m.content, 0.5f, &rng))) {
      return 1;
    }
  }
  const double fill_s = std::chrono::duration<double>(Clock::now() - fill_start).count();
  const long rss_before = PeakKb();

  EmbeddingsUpstream upstream(vectors);
  core::llm::Gateway gateway(upstream, clock);
  core::llm::UpstreamConfig config;
  config.settings.base_url = "http://127.0.0.1:9/v1";
  config.models = {model};
  gateway.AddUpstream(config);
  const core::retrieval::Embedder embedder(&gateway, model);
  engines::vector::HnswIndexFactory factory;
  core::retrieval::SemanticIndex index(repos.embeddings, factory, model);
  core::documents::DocumentSearch words_only_documents(repos.documents);
  core::documents::DocumentSearch hybrid_documents(repos.documents, &index);
  const core::retrieval::Retriever words_only(service, words_only_documents);
  const core::retrieval::Retriever hybrid(service, hybrid_documents, &embedder, &index);

  // The first turn builds the user's index from the stored vectors.
  const auto build_start = Clock::now();
  if (auto first = hybrid.ForMessage(user.id, "coffee garden"); !first) {
    std::fprintf(stderr, "retrieve: %s\n", first.error().internal_message().c_str());
    return 1;
  }
  const double build_s = std::chrono::duration<double>(Clock::now() - build_start).count();
  const long rss_after = PeakKb();

  Row none, text, both, embed;
  for (int q = 0; q < queries; ++q) {
    const std::string message = "what about my " + word() + " and " + word() + "?";
    auto t0 = Clock::now();
    auto nothing = words_only.ForMessage(user.id, message, {.memories = 0, .chunks = 0});
    none.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (nothing) none.hits += nothing->ids.size();
    t0 = Clock::now();
    auto w = words_only.ForMessage(user.id, message);
    text.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (w) text.hits += w->ids.size();
    t0 = Clock::now();
    auto h = hybrid.ForMessage(user.id, message);
    both.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (h) both.hits += h->ids.size();
    t0 = Clock::now();
    auto e = embedder.Embed({message}, user.id);
    embed.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (e) embed.hits += e->size();
  }
  std::printf("%d memories with %zu-dimensional vectors stored in %.1f s; first turn built the index in %.2f s\n",
              memories, dim, fill_s, build_s);
  std::printf("peak RSS: %.1f MB before the index, %.1f MB after\n", rss_before / 1024.0, rss_after / 1024.0);
  std::printf("| a chat turn's context | queries | p50 ms | p99 ms | mean ids |\n|---|---|---|---|---|\n");
  auto print = [&](const char* what, const Row& r) {
    std::printf("| %s | %d | %.2f | %.2f | %.1f |\n", what, queries, Percentile(r.ms, 0.5), Percentile(r.ms, 0.99),
                static_cast<double>(r.hits) / queries);
  };
  print("no retrieval", none);
  print("words only (full text, memories + chunks)", text);
  print("hybrid (words + nearest vectors, fused)", both);
  print("of which: the query's embedding (gateway, in-process upstream)", embed);
  stores.reset();
  db->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
