#include "core/retrieval/embedding_jobs.hpp"

#include <boost/json.hpp>

#include "core/jobs/job_queue.hpp"
#include "core/retrieval/embedder.hpp"
#include "core/retrieval/embedding_repository.hpp"

namespace atrium::core::retrieval {

namespace {

namespace json = boost::json;

constexpr std::int64_t kBatch = 32;

}  // namespace

void EmbeddingScheduler::MemoryWritten(const std::string& user_id, const std::string& memory_id) {
  if (!embedder_.configured()) return;
  jobs::EnqueueOptions options;
  options.owner = user_id;
  options.max_attempts = 5;
  (void)queue_.Enqueue(std::string(kEmbedMemoryJobKind),
                       json::serialize(json::object{{"user_id", user_id}, {"memory_id", memory_id}}), options);
}

void EmbeddingScheduler::EmbedMissing(const std::string& reason) {
  if (!embedder_.configured()) return;
  jobs::EnqueueOptions options;
  options.dedupe_key = std::string(kEmbedMissingJobKind) + ":" + reason;
  options.max_attempts = 5;
  (void)queue_.Enqueue(std::string(kEmbedMissingJobKind), "{}", options);
}

Result<std::string> EmbedMemoryJob::Run(jobs::JobContext& context) {
  boost::system::error_code ec;
  const json::value v = json::parse(context.job().payload, ec);
  const json::object* o = !ec && v.is_object() ? &v.as_object() : nullptr;
  const json::value* user = o != nullptr ? o->if_contains("user_id") : nullptr;
  const json::value* id = o != nullptr ? o->if_contains("memory_id") : nullptr;
  if (user == nullptr || !user->is_string() || id == nullptr || !id->is_string()) {
    return Error(ErrorCode::kInvalidArgument, "The job's payload is not a memory to embed");
  }
  const std::string user_id(user->as_string());
  const std::string memory_id(id->as_string());
  auto memory = memories_.Get(user_id, memory_id);
  if (!memory) {
    if (memory.error().code() == ErrorCode::kNotFound) return std::string("gone");
    return memory.error();
  }
  auto vectors = embedder_.Embed({memory->content}, user_id);
  if (!vectors) return vectors.error();
  auto stored = store_.Put(user_id, ItemKind::kMemory, memory_id, embedder_.model(), (*vectors)[0]);
  if (!stored) return stored.error();
  return std::string(*stored ? "embedded" : "gone");
}

Result<std::string> EmbedMissingJob::Run(jobs::JobContext& context) {
  if (!embedder_.configured()) return std::string("0 embedded");
  if (auto dropped = store_.RemoveOtherModels(embedder_.model()); !dropped) return dropped.error();
  std::int64_t done = 0;
  for (;;) {
    if (context.stopping()) return Error(ErrorCode::kUnavailable, "Stopped; the rest is embedded on the next run");
    auto missing = store_.Missing(embedder_.model(), kBatch);
    if (!missing) return missing.error();
    if (missing->empty()) break;
    std::vector<std::string> texts;
    texts.reserve(missing->size());
    for (const auto& m : *missing) texts.push_back(m.text);
    auto vectors = embedder_.Embed(texts);
    if (!vectors) return vectors.error();
    for (std::size_t i = 0; i < missing->size(); ++i) {
      const auto& m = (*missing)[i];
      auto stored = store_.Put(m.user_id, m.kind, m.item_id, embedder_.model(), (*vectors)[i]);
      if (!stored) return stored.error();
    }
    done += static_cast<std::int64_t>(missing->size());
    (void)context.Progress({done, 0, std::to_string(done) + " embedded"});
  }
  return std::to_string(done) + " embedded";
}

}  // namespace atrium::core::retrieval
